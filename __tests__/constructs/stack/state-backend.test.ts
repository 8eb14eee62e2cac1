import { TerraformStack, Testing } from 'cdktf';
import { addStateBackend, StateBackendConfig } from '../../../constructs';

function backendBlock(config: StateBackendConfig): unknown {
  const stack = new TerraformStack(Testing.app(), 'algorithmia-staging');
  addStateBackend(stack, 'algorithmia-staging', config);
  return JSON.parse(Testing.synth(stack)).terraform.backend;
}

describe('addStateBackend', () => {
  it('writes local state relative to the project root, never as an absolute path', () => {
    expect(backendBlock({ type: 'local' })).toEqual({ local: { path: '../../../terraform.algorithmia-staging.tfstate' } });
    expect(backendBlock({ type: 'local', path: 'state/staging.tfstate' })).toEqual({ local: { path: '../../../state/staging.tfstate' } });
  });

  it('configures S3 with a per-stack key, encryption and optional locking', () => {
    expect(backendBlock({ type: 's3', bucket: 'tf-state', region: 'us-east-1', dynamodbTable: 'tf-locks', encrypt: false })).toEqual({
      s3: {
        bucket: 'tf-state',
        region: 'us-east-1',
        key: 'algorithmia-datadog/algorithmia-staging.tfstate',
        dynamodb_table: 'tf-locks',
        encrypt: false,
      },
    });
  });

  it('configures Terraform Cloud with a workspace named after the stack by default', () => {
    const stack = new TerraformStack(Testing.app(), 'algorithmia-staging');
    addStateBackend(stack, 'algorithmia-staging', { type: 'cloud', organization: 'acme' });
    expect(JSON.parse(Testing.synth(stack)).terraform.cloud).toEqual({ organization: 'acme', workspaces: { name: 'algorithmia-staging' } });
  });
});
