import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformBackend, TerraformStack } from 'cdktf';

/**
 * Where Terraform keeps an environment's state. Credentials for S3 (AWS_* variables or profile)
 * and Terraform Cloud (TF_TOKEN_app_terraform_io or `terraform login`) come from the environment
 * at plan/apply time, never from this configuration.
 */
export type StateBackendConfig = LocalStateBackendConfig | S3StateBackendConfig | CloudStateBackendConfig;

export interface LocalStateBackendConfig {
  readonly type: 'local';
  /**
   * State file, relative to the project root (the folder of cdktf.json).
   * @default 'terraform.<stack>.tfstate'
   */
  readonly path?: string;
}

export interface S3StateBackendConfig {
  readonly type: 's3';
  readonly bucket: string;
  readonly region: string;
  /** @default 'algorithmia-datadog/<stack>.tfstate' */
  readonly key?: string;
  /** DynamoDB table for state locking. @default no locking */
  readonly dynamodbTable?: string;
  /** @default true */
  readonly encrypt?: boolean;
}

export interface CloudStateBackendConfig {
  readonly type: 'cloud';
  readonly organization: string;
  /** @default the stack name, e.g. 'algorithmia-prod' */
  readonly workspace?: string;
  /** @default 'app.terraform.io' */
  readonly hostname?: string;
}

/**
 * Terraform runs in cdktf.out/stacks/<stack>/; a local path is written relative to that folder
 * (three levels below the project root) because cdktf's default local backend would write an
 * absolute path and make synth output differ between checkouts.
 */
const PROJECT_ROOT_FROM_STACK_DIR = '../../..';

export function addStateBackend(stack: TerraformStack, stackName: string, config: StateBackendConfig): TerraformBackend {
  switch (config.type) {
    case 'local':
      return new LocalBackend(stack, {
        path: `${PROJECT_ROOT_FROM_STACK_DIR}/${config.path ?? `terraform.${stackName}.tfstate`}`,
      });
    case 's3':
      return new S3Backend(stack, {
        bucket: config.bucket,
        region: config.region,
        key: config.key ?? `algorithmia-datadog/${stackName}.tfstate`,
        encrypt: config.encrypt ?? true,
        ...(config.dynamodbTable !== undefined ? { dynamodbTable: config.dynamodbTable } : {}),
      });
    case 'cloud':
      return new CloudBackend(stack, {
        organization: config.organization,
        workspaces: new NamedCloudWorkspace(config.workspace ?? stackName),
        ...(config.hostname !== undefined ? { hostname: config.hostname } : {}),
      });
  }
}
