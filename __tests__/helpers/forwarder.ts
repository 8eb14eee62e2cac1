import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { ForwarderDeployment, ForwarderDeploymentProps } from '../../constructs';
import { onlyResource, synthError, synthesize, SynthesizedStack } from './synth';

export const METRICS_JSON = readFileSync(join(__dirname, '..', '..', 'config', 'metrics.json'), 'utf8');

export const BASE: ForwarderDeploymentProps = {
  image: 'ghcr.io/acme/algorithmia-datadog-forwarder:0.1.0',
  kafka: { brokers: ['kafka-0:9092', 'kafka-1:9092'], topic: 'insights', partitions: 3 },
  metricDeclaration: METRICS_JSON,
};

/** The test stack has a Datadog provider only: add the Kubernetes one, as AlgorithmiaStack does. */
function build(props: Partial<ForwarderDeploymentProps>): (scope: Construct) => void {
  return (scope) => {
    new KubernetesProvider(scope, 'kubernetes');
    new ForwarderDeployment(scope, 'forwarder', { ...BASE, ...props });
  };
}

export function synthForwarder(props: Partial<ForwarderDeploymentProps> = {}): SynthesizedStack {
  return synthesize(build(props));
}

/** The message synth fails with; fails the test when synth succeeds. */
export function forwarderError(props: Partial<ForwarderDeploymentProps>): string {
  return synthError(build(props));
}

export function deploymentOf(synthesized: SynthesizedStack): Record<string, any> {
  return onlyResource(synthesized, 'kubernetes_deployment_v1');
}

export function container(synthesized: SynthesizedStack): Record<string, any> {
  const deployment = deploymentOf(synthesized);
  expect(deployment.spec.template.spec.container).toHaveLength(1);
  return deployment.spec.template.spec.container[0];
}

/** name → value, or → value_from for Secret references. */
export function envOf(synthesized: SynthesizedStack): Record<string, any> {
  return Object.fromEntries(container(synthesized).env.map((entry: any) => [entry.name, entry.value ?? entry.value_from]));
}
