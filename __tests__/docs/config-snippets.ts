/**
 * JSON snippets of the docs, read as a user applies them to the shipped config: a whole file, an
 * environment entry or body, a fragment of one (placed where the schema says its keys belong), a
 * metric entry, or what `cdktf synth` writes for them. A page's snippets apply in order, as a reader
 * following the page would; each must leave both files without a problem from `configProblems`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { App, Testing } from 'cdktf';
import { loadMetricDeclaration } from '@algorithmia-datadog/metric-declaration';
import { toJson } from '../../config/schema/builders';
import { ENVIRONMENT } from '../../config/schema/environments';
import { addEnvironmentStacks, CONFIG_FILES, configProblems, type ConfigFiles } from '../../main';

type Json = any;

/** Where an environment body or fragment goes when the docs name no environment: docs/model-monitoring.md's "environments.prod". */
export const DEFAULT_ENVIRONMENT = 'prod';
/** The docs' "and the rest as before": `"...": "..."`. */
const ELLIPSIS = '...';
/** Top-level blocks of Terraform JSON (`cdk.tf.json`). */
const TERRAFORM_BLOCKS = new Set([
  'terraform',
  'provider',
  'resource',
  'data',
  'output',
  'variable',
  'locals',
  'module',
  'import',
  'removed',
  'moved',
]);

export type JsonSnippet =
  | { readonly kind: 'environments file'; readonly value: Json }
  | { readonly kind: 'metrics file'; readonly value: Json }
  | { readonly kind: 'metric entry'; readonly value: Json }
  | { readonly kind: 'environment entries'; readonly value: Record<string, Json> }
  | { readonly kind: 'environment fragment'; readonly path: string; readonly value: Json }
  | { readonly kind: 'synth output'; readonly value: Record<string, Json> }
  | { readonly kind: 'insights message'; readonly value: Json };

/** Object paths of an environment (`''`, `forwarder`, `forwarder.kafka`, ...) and the keys each takes. */
function schemaObjects(): Map<string, Set<string>> {
  const objects = new Map<string, Set<string>>();
  const visit = (resolved: Json, path: string) => {
    const branches = [resolved, ...(resolved.allOf ?? []), ...(resolved.oneOf ?? []), ...(resolved.anyOf ?? [])];
    const properties = Object.assign({}, ...branches.map((branch: Json) => branch.properties ?? {}));
    if (Object.keys(properties).length === 0) return;
    objects.set(path, new Set([...(objects.get(path) ?? []), ...Object.keys(properties)]));
    for (const [key, child] of Object.entries(properties)) visit(child, path === '' ? key : `${path}.${key}`);
  };
  visit(toJson(ENVIRONMENT) as Json, '');
  return objects;
}
const SCHEMA_OBJECTS = schemaObjects();

/** The path of the environment object whose keys include all of `keys`, the shallowest if several. */
function placeOf(keys: string[]): string | undefined {
  const candidates = [...SCHEMA_OBJECTS].filter(([, known]) => keys.every((key) => known.has(key))).map(([path]) => path);
  return candidates.sort((a, b) => a.split('.').length - b.split('.').length)[0];
}

const isEnvironmentBody = (value: Json) =>
  value !== null &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  placeOf(Object.keys(value).filter((key) => key !== ELLIPSIS)) === '';

/** What a ```json block is; throws (with the reason) for a block that is not JSON or fits no kind. */
export function classifyJson(text: string): JsonSnippet {
  // A block that starts with a key is a member list cut out of an object: `"prod": { ... }`.
  const value = JSON.parse(text.trim().startsWith('"') ? `{${text}}` : text);
  const keys = Object.keys(value);
  if ('environments' in value) return { kind: 'environments file', value };
  if ('inferenceMetrics' in value || 'prefix' in value) return { kind: 'metrics file', value };
  if (typeof value.key === 'string') return { kind: 'metric entry', value };
  if ('algorithm_name' in value && 'duration_milliseconds' in value) return { kind: 'insights message', value };
  if (keys.every((key) => TERRAFORM_BLOCKS.has(key))) return { kind: 'synth output', value };
  if (keys.every((key) => /^[a-z][a-z0-9-]*$/.test(key) && isEnvironmentBody(value[key]) && !SCHEMA_OBJECTS.get('')!.has(key))) {
    return { kind: 'environment entries', value };
  }
  const path = placeOf(keys);
  if (path !== undefined) return { kind: 'environment fragment', path, value };
  throw new Error(`fits no kind of config snippet (keys: ${keys.join(', ')}); see __tests__/docs/config-snippets.ts`);
}

/** Without `"...": "..."` keys; `partial` when there was one (the object keeps what it had). */
function withoutEllipsis(value: Json): { value: Json; partial: boolean } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { value, partial: false };
  const result: Json = {};
  for (const [key, child] of Object.entries(value)) if (key !== ELLIPSIS) result[key] = withoutEllipsis(child).value;
  return { value: result, partial: ELLIPSIS in value };
}

function deepMerge(target: Json, source: Json): Json {
  if (source === null || typeof source !== 'object' || Array.isArray(source) || target === null || typeof target !== 'object') {
    return structuredClone(source);
  }
  const merged = { ...target };
  for (const [key, value] of Object.entries(source)) merged[key] = key in merged ? deepMerge(merged[key], value) : structuredClone(value);
  return merged;
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

/** The two config files as a page has left them so far, starting from the shipped ones. */
export class ConfigState {
  environments: Json = readJson(CONFIG_FILES.environments);
  metrics: Json = readJson(CONFIG_FILES.metrics);
  /** Written as environments.json instead of `environments`, when a situation needs text that is not JSON. */
  environmentsText?: string;

  apply(snippet: JsonSnippet): void {
    const environments = this.environments.environments;
    switch (snippet.kind) {
      case 'environments file': {
        // Environments written in full replace the shipped ones; `"...": "..."` keeps the rest of one.
        const written: Record<string, Json> = {};
        for (const [name, body] of Object.entries<Json>(snippet.value.environments)) {
          const { value, partial } = withoutEllipsis(body);
          written[name] = partial ? deepMerge(environments[name] ?? {}, value) : value;
        }
        this.environments = { ...withoutEllipsis(snippet.value).value, environments: written };
        break;
      }
      case 'metrics file': {
        const { value, partial } = withoutEllipsis(snippet.value);
        this.metrics = partial ? deepMerge(this.metrics, value) : value;
        break;
      }
      case 'metric entry': {
        const others = this.metrics.inferenceMetrics.filter((metric: Json) => metric.key !== snippet.value.key);
        this.metrics.inferenceMetrics = [...others, snippet.value];
        break;
      }
      case 'environment entries':
        for (const [name, body] of Object.entries(snippet.value))
          environments[name] = deepMerge(environments[name] ?? {}, withoutEllipsis(body).value);
        break;
      case 'environment fragment': {
        if (snippet.path === '') {
          environments[DEFAULT_ENVIRONMENT] = deepMerge(environments[DEFAULT_ENVIRONMENT] ?? {}, withoutEllipsis(snippet.value).value);
          break;
        }
        // Into every environment that has the object it belongs to, e.g. forwarder.kafka.
        const segments = snippet.path.split('.');
        const holders = Object.values<Json>(environments).filter((environment) => segments.reduce((at, key) => at?.[key], environment));
        if (holders.length === 0) throw new Error(`no environment of the config has ${snippet.path} for this fragment to go into`);
        for (const holder of holders) {
          const parent = segments.slice(0, -1).reduce((at, key) => at[key], holder);
          const last = segments[segments.length - 1];
          parent[last] = deepMerge(parent[last], withoutEllipsis(snippet.value).value);
        }
        break;
      }
      default:
        throw new Error(`a ${snippet.kind} changes no config`);
    }
  }

  /** The two files written to a fresh folder, for `configProblems` and the app. */
  write(folder = mkdtempSync(join(tmpdir(), 'docs-config-'))): ConfigFiles {
    mkdirSync(folder, { recursive: true });
    const files = { environments: join(folder, 'environments.json'), metrics: join(folder, 'metrics.json') };
    writeFileSync(files.environments, this.environmentsText ?? JSON.stringify(this.environments, null, 2));
    writeFileSync(files.metrics, JSON.stringify(this.metrics, null, 2));
    return files;
  }

  /** `configProblems` of the state, each line naming the files as the docs do (`config/environments.json: ...`). */
  problems(): string[] {
    return withFiles(this, (files) => configProblems(files).map((line) => asShipped(line, files)));
  }

  /** The kind the metric declaration gives a key, as the app loads it. */
  kindOf(key: string): string | undefined {
    return withFiles(this, (files) => loadMetricDeclaration(files.metrics).lookup(key)?.kind);
  }

  /** Each stack's Terraform JSON, as `cdktf synth` writes it to cdk.tf.json. */
  synthesized(): Map<string, Json> {
    return withFiles(this, (files) => {
      const stacks = addEnvironmentStacks(Testing.app(), files);
      return new Map(stacks.map((stack) => [stack.node.id, JSON.parse(Testing.synth(stack))]));
    });
  }

  /** What `cdktf synth` validation says about the stacks (construct checks), one line per error. */
  validationErrors(): string[] {
    return withFiles(this, (files) => {
      const app = new App({ outdir: join(files.environments, '..', 'cdktf.out') });
      addEnvironmentStacks(app, files);
      try {
        app.synth();
        return [];
      } catch (error) {
        return (error as Error).message
          .split('\n')
          .filter((line) => /^\s+\[/.test(line))
          .map((line) => line.trim());
      }
    });
  }
}

function withFiles<T>(state: ConfigState, use: (files: ConfigFiles) => T): T {
  const folder = mkdtempSync(join(tmpdir(), 'docs-config-'));
  try {
    return use(state.write(folder));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** A problem line of scratch files, as `cdktf synth` in the checkout prints it. */
function asShipped(line: string, files: ConfigFiles): string {
  for (const [key, path] of Object.entries(files)) {
    const shown = relative(process.cwd(), path) || path;
    const shipped = relative(join(__dirname, '..', '..'), CONFIG_FILES[key as keyof ConfigFiles]);
    if (line.startsWith(shown)) return shipped + line.slice(shown.length);
  }
  return line;
}

/** Every element of the snippet's blocks (`"import": [...]`) is in the same block of some stack. */
export function missingFromSynthOutput(snippet: Record<string, Json>, stacks: Map<string, Json>): string[] {
  const missing: string[] = [];
  for (const [block, expected] of Object.entries(snippet)) {
    for (const item of Array.isArray(expected) ? expected : [expected]) {
      const found = [...stacks.values()].some((stack) => {
        const actual = stack[block];
        return (Array.isArray(actual) ? actual : [actual]).some((candidate) => contains(candidate, item));
      });
      if (!found) missing.push(`${block}: ${JSON.stringify(item)}`);
    }
  }
  return missing;
}

function contains(actual: Json, expected: Json): boolean {
  if (expected === null || typeof expected !== 'object') return actual === expected;
  if (actual === null || typeof actual !== 'object') return false;
  return Object.entries(expected).every(([key, value]) => contains(actual[key], value));
}
