import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdktf';
import { loadMetricDeclaration } from '@algorithmia-datadog/metric-declaration';
import { AlgorithmiaStack } from './constructs';
import { loadEnvironments } from './config/environments';

/** The files users edit. Paths are only read, never written into the synthesized JSON. */
export const CONFIG_FILES = {
  metrics: join(__dirname, 'config', 'metrics.json'),
  environments: join(__dirname, 'config', 'environments.json'),
};

/** One `algorithmia-<environment>` stack per entry of config/environments.json. */
export function addEnvironmentStacks(app: App, files = CONFIG_FILES): AlgorithmiaStack[] {
  const catalog = loadMetricDeclaration(files.metrics);
  return loadEnvironments(files.environments).map(
    (environment) =>
      new AlgorithmiaStack(app, environment.stackName, {
        site: environment.site,
        backend: environment.backend,
        integration: { ...environment.integration, catalog },
        // The forwarder gets the very file the dashboards and monitors were built from.
        ...(environment.forwarder
          ? { forwarder: { ...environment.forwarder, metricDeclaration: readFileSync(files.metrics, 'utf8') } }
          : {}),
      }),
  );
}

if (require.main === module) {
  const app = new App();
  addEnvironmentStacks(app);
  app.synth();
}
