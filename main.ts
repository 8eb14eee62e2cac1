import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Annotations, App, TerraformStack } from 'cdktf';
import {
  ConfigProblem,
  describeProblem,
  formatProblem,
  loadMetricDeclaration,
  MetricCatalog,
  MetricDeclarationError,
} from '@algorithmia-datadog/metric-declaration';
import { AlgorithmiaStack } from './constructs';
import { EnvironmentConfigError, EnvironmentSettings, readEnvironmentsFile } from './config/environments';
import { constructProblems } from './config/construct-problems';

/** The files users edit. Paths are only read, never written into the synthesized JSON. */
export const CONFIG_FILES = {
  metrics: join(__dirname, 'config', 'metrics.json'),
  environments: join(__dirname, 'config', 'environments.json'),
};

export type ConfigFiles = typeof CONFIG_FILES;

/** One `algorithmia-<environment>` stack per entry of config/environments.json; throws on a config problem. */
export function addEnvironmentStacks(app: App, files: ConfigFiles = CONFIG_FILES): AlgorithmiaStack[] {
  const catalog = loadMetricDeclaration(files.metrics);
  const reading = readEnvironmentsFile(files.environments);
  if (reading.problems.length > 0) {
    throw new EnvironmentConfigError(files.environments, reading.problems.map(describeProblem));
  }
  return reading.environments.map((environment) => addEnvironmentStack(app, environment, catalog, files));
}

function addEnvironmentStack(app: App, environment: EnvironmentSettings, catalog: MetricCatalog, files: ConfigFiles): AlgorithmiaStack {
  return new AlgorithmiaStack(app, environment.stackName, {
    site: environment.site,
    backend: environment.backend,
    integration: { ...environment.integration, catalog },
    // The forwarder gets the very file the dashboards and monitors were built from.
    ...(environment.forwarder ? { forwarder: { ...environment.forwarder, metricDeclaration: readFileSync(files.metrics, 'utf8') } } : {}),
  });
}

/**
 * Every problem of both files, shape and meaning alike, each once and as one line
 * `<file>: <JSON key path> <what is wrong and how to fix it>`. The stacks are built in a scratch
 * app (from what could be read) so that the constructs' checks run in the same pass.
 */
export function configProblems(files: ConfigFiles = CONFIG_FILES): string[] {
  const lines: string[] = [];
  const show = (file: string) => relative(process.cwd(), file) || file;
  let catalog: MetricCatalog | undefined;
  try {
    catalog = loadMetricDeclaration(files.metrics);
  } catch (error) {
    if (!(error instanceof MetricDeclarationError)) throw error;
    for (const problem of error.problems) lines.push(formatProblem(show(files.metrics), problem));
  }
  const reading = readEnvironmentsFile(files.environments);
  const problems: ConfigProblem[] = [...reading.problems];
  if (catalog) {
    const scratch = new App({ skipValidation: true });
    for (const environment of reading.environments) {
      try {
        const stack = addEnvironmentStack(scratch, environment, catalog, files);
        problems.push(...constructProblems(environment, stack));
        try {
          stack.toTerraform(); // names every resource: two metric keys can map to one Terraform name
        } catch (error) {
          const line = `${show(files.metrics)}: ${(error as Error).message}`;
          if (!lines.includes(line)) lines.push(line);
        }
      } catch (error) {
        // A construct that refuses its props outright; still one line, at the environment.
        problems.push({
          path: `environments.${environment.name}`,
          segments: ['environments', environment.name],
          message: `: ${(error as Error).message}`,
        });
      }
    }
  }
  const seenPaths = new Set<string>();
  for (const problem of problems) {
    // One problem per key: a value the schema refused is not also reported by a construct.
    // Nor is a value whose part the schema refused (the part was left out, so the rest looks incomplete).
    if (
      problem.path !== '' &&
      [...seenPaths].some((path) => problem.path === path || within(problem.path, path) || within(path, problem.path))
    ) {
      continue;
    }
    if (problem.path !== '') seenPaths.add(problem.path);
    const line = formatProblem(show(files.environments), problem);
    if (!lines.includes(line)) lines.push(line);
  }
  return lines;
}

/** `inner` is a key or item inside `outer` (`a.b[0].c` inside `a.b`). */
function within(inner: string, outer: string): boolean {
  return inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
}

/**
 * The app as `cdktf synth` runs it. With problems, `cdktf` (which sets
 * CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS) is given one error annotation per problem and prints
 * each once, without a stack trace; run directly, the problems go to stderr and the exit code is 1.
 */
export function main(files: ConfigFiles = CONFIG_FILES): number {
  const problems = configProblems(files);
  if (problems.length === 0) {
    const app = new App();
    addEnvironmentStacks(app, files);
    app.synth();
    return 0;
  }
  if (process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS === undefined) {
    process.stderr.write(`${problems.join('\n')}\n`);
    return 1;
  }
  // Only this stack is written, so cdktf.out holds no stack of a broken configuration.
  const app = new App({ skipValidation: true, context: { '@cdktf/disable_stack_trace_in_metadata': true } });
  const report = new TerraformStack(app, 'config');
  for (const problem of problems) Annotations.of(report).addError(problem);
  app.synth();
  return 0;
}

if (require.main === module) {
  process.exitCode = main();
}
