import { rewriteImports } from '../../../scripts/cdktn/rewrite-imports';

describe('rewriteImports', () => {
  it('moves every kind of module specifier of the CDKTF packages, subpaths included', () => {
    const source = [
      `import { App, TerraformStack } from 'cdktf';`,
      `import 'cdktf/lib/testing/adapters/jest';`,
      `import { Monitor } from "@cdktf/provider-datadog/lib/monitor";`,
      `export { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';`,
      `const cli = require('cdktf-cli');`,
      `const lazy = () => import('cdktf');`,
      `type Stack = import('cdktf').TerraformStack;`,
    ].join('\n');
    const { text, changes } = rewriteImports(source);
    expect(text).toBe(
      [
        `import { App, TerraformStack } from 'cdktn';`,
        `import 'cdktn/lib/testing/adapters/jest';`,
        `import { Monitor } from "@cdktn/provider-datadog/lib/monitor";`,
        `export { DeploymentV1 } from '@cdktn/provider-kubernetes/lib/deployment-v1';`,
        `const cli = require('cdktn-cli');`,
        `const lazy = () => import('cdktn');`,
        `type Stack = import('cdktn').TerraformStack;`,
      ].join('\n'),
    );
    expect(changes).toHaveLength(7);
    expect(changes[2]).toBe('@cdktf/provider-datadog/lib/monitor -> @cdktn/provider-datadog/lib/monitor');
  });

  it('leaves strings, comments and other packages alone, even when they look alike', () => {
    const source = [
      `import { Construct } from 'constructs';`,
      `import x from 'cdktfx';`,
      `import y from '@cdktf/provider-kubernetes-extra';`,
      `import { thing } from './cdktf';`,
      `// import { App } from 'cdktf';`,
      `const labels = { 'app.kubernetes.io/managed-by': 'cdktf' };`,
      `const message = "run: import 'cdktf'";`,
    ].join('\n');
    expect(rewriteImports(source)).toEqual({ text: source, changes: [] });
  });

  it('changes nothing the second time', () => {
    const once = rewriteImports(`import { App } from 'cdktf';\nimport '@cdktf/provider-datadog';\n`).text;
    expect(rewriteImports(once)).toEqual({ text: once, changes: [] });
  });
});
