import 'cdktf/lib/testing/adapters/jest';
import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { DatadogProvider } from '@cdktf/provider-datadog/lib/provider';

Testing.setupJest();

/** The synthesized Terraform JSON of a stack, parsed. Resource blocks keyed by type then name. */
export interface SynthesizedStack {
  readonly resource?: Record<string, Record<string, Record<string, any>>>;
  readonly provider?: Record<string, Record<string, any>[]>;
  readonly terraform?: Record<string, any>;
  readonly [block: string]: unknown;
}

/** Builds constructs in a fresh test stack and synthesizes it with validations on, as `cdktf synth` does. */
export function synthesize(build: (scope: Construct) => void): SynthesizedStack {
  return JSON.parse(synthesizeText(build));
}

/** The same, as the JSON text cdktf's matchers expect. */
export function synthesizeText(build: (scope: Construct) => void): string {
  const stack = new TerraformStack(Testing.app(), 'test');
  new DatadogProvider(stack, 'datadog');
  build(stack);
  return Testing.synth(stack, true);
}

/** The resources of one type, keyed by Terraform name; fails the test when there is none. */
export function resourcesOfType(synthesized: SynthesizedStack, type: string): Record<string, Record<string, any>> {
  const resources = synthesized.resource?.[type];
  if (!resources) throw new Error(`no ${type} in ${JSON.stringify(Object.keys(synthesized.resource ?? {}))}`);
  return resources;
}

/** The only resource of a type. */
export function onlyResource(synthesized: SynthesizedStack, type: string): Record<string, any> {
  const resources = Object.values(resourcesOfType(synthesized, type));
  expect(resources).toHaveLength(1);
  return resources[0];
}

/** The message synth fails with; fails the test when synth succeeds. */
export function synthError(build: (scope: Construct) => void): string {
  try {
    synthesizeText(build);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected synth to fail validation, but it succeeded');
}
