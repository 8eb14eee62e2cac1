import {
  ConfigProblem,
  DatadogSite,
  describeProblem,
  JsonSyntaxError,
  readJsonFile,
  schemaChecker,
  syntaxProblem,
} from '@algorithmia-datadog/metric-declaration';
import type { Static } from '@sinclair/typebox';
import { toJson } from './schema/builders';
import { ENVIRONMENTS_FILE } from './schema/environments';
import type { AlgorithmiaIntegrationProps } from '../constructs/stack/algorithmia-integration';
import { MODEL_MONITOR_KINDS, type ModelMonitorKindName } from '../constructs/monitors/kinds';
import type { ForwarderStackProps } from '../constructs/stack/algorithmia-stack';
import type { StateBackendConfig } from '../constructs/stack/state-backend';

/**
 * Reads config/environments.json, the file users edit to describe their environments. The shape
 * (types, known keys, required keys) is config/schema/'s definition, written out as
 * config/environments.schema.json for editors; here are only the typed mapping to construct props and the rules a schema cannot say.
 * What monitor values mean (warning below critical, valid tags...) is checked by the constructs
 * at synth, and main.ts reports those at the same JSON key paths.
 */

/** One environment, ready for `AlgorithmiaStack`. */
export interface EnvironmentSettings {
  /** The key in `environments`, e.g. `prod`. */
  readonly name: string;
  /** `algorithmia-<name>`: the cdktf stack and the Terraform working directory. */
  readonly stackName: string;
  /** The Datadog organisation; the environment's name when the file names none. */
  readonly organization: string;
  readonly site?: DatadogSite;
  readonly backend: StateBackendConfig;
  readonly integration: Omit<AlgorithmiaIntegrationProps, 'catalog'>;
  /**
   * Present only when `forwarder.enabled` is true. `tags` default to the environment's tags (so that
   * points carry e.g. `env:prod`, which the monitors' scope selects); main.ts adds the metric
   * declaration.
   */
  readonly forwarder?: ForwarderEnvironmentSettings;
}

export type ForwarderEnvironmentSettings = Omit<ForwarderStackProps, 'metricDeclaration'>;

export class EnvironmentConfigError extends Error {
  constructor(
    readonly source: string,
    /** One sentence per problem, starting with the JSON key path. */
    readonly problems: readonly string[],
  ) {
    super(`${source} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'EnvironmentConfigError';
  }
}

const checkSchema = schemaChecker(toJson(ENVIRONMENTS_FILE) as object);

/** Environments that could be read, and every problem found, each at a JSON key path. */
export interface EnvironmentsReading {
  /**
   * The environments, built from the file without the values that have problems, so that the
   * constructs can still report what else is wrong in the same run.
   */
  readonly environments: EnvironmentSettings[];
  readonly problems: ConfigProblem[];
}

/** Reads the file; throws `EnvironmentConfigError` (naming file and key paths) on any problem. */
export function loadEnvironments(path: string): EnvironmentSettings[] {
  const reading = readEnvironmentsFile(path);
  if (reading.problems.length > 0) throw new EnvironmentConfigError(path, reading.problems.map(describeProblem));
  return reading.environments;
}

/** Like `loadEnvironments`, but returns the problems; a syntax error is one problem at line:column. */
export function readEnvironmentsFile(path: string): EnvironmentsReading {
  let json: unknown;
  try {
    json = readJsonFile(path);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { environments: [], problems: [syntaxProblem(error)] };
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { environments: [], problems: [{ path: '', segments: [], message: `cannot be read (${reason}).` }] };
  }
  return readEnvironments(json);
}

export function parseEnvironments(json: unknown, source = 'environments config'): EnvironmentSettings[] {
  const reading = readEnvironments(json);
  if (reading.problems.length > 0) throw new EnvironmentConfigError(source, reading.problems.map(describeProblem));
  return reading.environments;
}

export function readEnvironments(json: unknown): EnvironmentsReading {
  const problems = checkSchema(json);
  const document = withoutProblemValues(json, problems) as EnvironmentsFile | undefined;
  const entries = Object.entries(document?.environments ?? {}).filter(([name]) => /^[a-z][a-z0-9-]*$/.test(name)); // else reported by the schema
  const owners = metadataOwners(entries);
  const ownerOfOrganization = new Map<string, string>();
  for (const [name, environment] of entries) {
    const organization = organizationOf(name, environment);
    if (owners.get(name) === true && !ownerOfOrganization.has(organization)) ownerOfOrganization.set(organization, name);
  }
  const environments: EnvironmentSettings[] = [];
  for (const [name, environment] of entries) {
    problems.push(...meaningProblems(name, environment));
    const owner = ownerOfOrganization.get(organizationOf(name, environment));
    environments.push(toSettings(name, environment, owners.get(name) ?? false, owner === name ? undefined : owner));
  }
  problems.push(...organizationProblems(entries, owners));
  return { environments, problems };
}

/** The file as its definition (config/schema/) describes it: one source for the schema and these types. */
type EnvironmentsFile = Static<typeof ENVIRONMENTS_FILE>;
type EnvironmentEntry = EnvironmentsFile['environments'][string];
/**
 * The forwarder section; `image` and `kafka` are required once enabled, which the definition
 * says with an if/then the static type cannot follow, so the read section is typed here.
 */
interface ForwarderEntry extends Omit<ForwarderEnvironmentSettings, 'tags'> {
  readonly $comment?: string;
  readonly enabled?: boolean;
  readonly tags?: string[];
}

function toSettings(
  name: string,
  environment: EnvironmentEntry,
  metricMetadata: boolean | 'release',
  organizationOwner: string | undefined,
): EnvironmentSettings {
  const { durationMonitor, inferenceMonitors, forwarder, adopt } = environment;
  return {
    name,
    stackName: `algorithmia-${name}`,
    organization: organizationOf(name, environment),
    ...(environment.site !== undefined ? { site: environment.site } : {}),
    backend: environment.backend ?? { type: 'local' },
    ...(forwarder?.enabled ? { forwarder: forwarderSettings(forwarder as ForwarderEntry, environment.tags) } : {}),
    integration: withoutUndefined({
      label: environment.label,
      scope: environment.scope,
      tags: environment.tags,
      notificationHandles: environment.notificationHandles,
      durationMonitor: durationMonitor && withoutComment(durationMonitor),
      inferenceMonitors: Object.fromEntries(
        Object.entries(inferenceMonitors ?? {}).map(([key, monitor]) => [key, withoutComment(monitor)]),
      ),
      dashboard: environment.dashboard && withoutComment(environment.dashboard),
      ...modelMonitors(environment),
      trafficMonitors: groupWithoutComments(environment.trafficMonitors),
      pipelineMonitors: groupWithoutComments(environment.pipelineMonitors),
      slos: keyedWithoutComments(environment.slos),
      sloHandles: environment.sloHandles && withoutComment(environment.sloHandles),
      metricMetadata,
      organizationOwner: organizationOwner && `environments.${organizationOwner} (algorithmia-${organizationOwner})`,
      adopt: adopt && withoutComment(adopt),
    }),
  };
}

/** Each registry kind's entries as the definition reads them, without `$comment`. */
type DefinedModelMonitors = {
  readonly [Name in ModelMonitorKindName]?: Readonly<Record<string, Omit<NonNullable<EnvironmentEntry[Name]>[string], '$comment'>>>;
};

/**
 * Every registry kind the environment declares, as the integration takes them: that the integration
 * props accept `DefinedModelMonitors` is the compile-time check that the definition fits the constructs.
 */
function modelMonitors(environment: EnvironmentEntry): DefinedModelMonitors {
  const kinds = Object.keys(MODEL_MONITOR_KINDS) as ModelMonitorKindName[];
  // TypeScript cannot follow the kind through the loop: each entry is read as an object with a comment.
  const entries = (name: ModelMonitorKindName): Readonly<Record<string, { $comment?: string }>> | undefined => environment[name];
  return Object.fromEntries(kinds.map((name) => [name, keyedWithoutComments(entries(name))]));
}

function keyedWithoutComments<S extends { $comment?: string }>(
  monitors: Readonly<Record<string, S>> | undefined,
): Record<string, Omit<S, '$comment'>> | undefined {
  return monitors && Object.fromEntries(Object.entries(monitors).map(([key, monitor]) => [key, withoutComment(monitor)]));
}

/** A section of one settings object per monitor (`trafficMonitors`), without `$comment` at either level. */
function groupWithoutComments<G extends { $comment?: string }>(
  group: G | undefined,
): { [Key in Exclude<keyof G, '$comment'>]: Omit<NonNullable<G[Key]>, '$comment'> } | undefined {
  if (!group) return undefined;
  const entries = Object.entries(withoutComment(group)).map(([key, settings]) => [key, withoutComment(settings as { $comment?: string })]);
  return Object.fromEntries(entries) as { [Key in Exclude<keyof G, '$comment'>]: Omit<NonNullable<G[Key]>, '$comment'> };
}

/** `tags` default to the environment's, so that points carry e.g. `env:prod`, which the monitors select. */
function forwarderSettings(forwarder: ForwarderEntry, environmentTags: string[] | undefined): ForwarderEnvironmentSettings {
  const { $comment: _comment, enabled: _enabled, ...settings } = forwarder;
  return withoutUndefined({ ...settings, tags: forwarder.tags ?? environmentTags });
}

function organizationOf(name: string, environment: EnvironmentEntry): string {
  return environment.organization ?? name;
}

/**
 * Who manages the organisation-wide metric metadata: `metricMetadata` as set; where it is not
 * set, the first such environment of an organisation in which no environment says `true`. The
 * default keeps a one-environment file (and a settings-free environment) the integration exactly;
 * an explicit `true` names the owner so that reordering the file never moves it.
 */
function metadataOwners(entries: ReadonlyArray<[string, EnvironmentEntry]>): Map<string, boolean | 'release'> {
  const owners = new Map<string, boolean | 'release'>();
  const claimed = new Set(
    entries
      .filter(([, environment]) => environment.metricMetadata === true)
      .map(([name, environment]) => organizationOf(name, environment)),
  );
  for (const [name, environment] of entries) {
    const organization = organizationOf(name, environment);
    if (environment.metricMetadata !== undefined) {
      owners.set(name, environment.metricMetadata);
    } else {
      owners.set(name, !claimed.has(organization));
      claimed.add(organization);
    }
  }
  return owners;
}

/** One owner of metric metadata per organisation, one site per organisation, one stack per adopted object. */
function organizationProblems(
  entries: ReadonlyArray<[string, EnvironmentEntry]>,
  owners: ReadonlyMap<string, boolean | 'release'>,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const firstOwner = new Map<string, string>();
  const firstSite = new Map<string, [string, DatadogSite | undefined]>();
  const firstAdopter = new Map<string, string>();
  for (const [name, environment] of entries) {
    const organization = organizationOf(name, environment);
    const at = (key: string) => ({ path: `environments.${name}.${key}`, segments: ['environments', name, key] });
    for (const key of ['dashboardId', 'durationMonitorId'] as const) {
      const id = environment.adopt?.[key];
      if (id === undefined) continue;
      const object = `${organization}\u0000${key}\u0000${String(id)}`;
      const adopter = firstAdopter.get(object);
      if (adopter === undefined) {
        firstAdopter.set(object, name);
        continue;
      }
      problems.push({
        path: `environments.${name}.adopt.${key}`,
        segments: ['environments', name, 'adopt', key],
        message:
          `${JSON.stringify(id)} is also adopted by environments.${adopter}, in the same organisation "${organization}": ` +
          'one Datadog object can belong to one stack only (each deploy would overwrite the other, and destroying one stack deletes it for both). ' +
          'Adopt it in one environment and remove it here; this environment then creates its own.',
      });
    }
    if (owners.get(name) === true) {
      const owner = firstOwner.get(organization);
      if (owner === undefined) {
        firstOwner.set(organization, name);
      } else {
        problems.push({
          ...at('metricMetadata'),
          message:
            `is true, but environments.${owner} already manages the metric metadata of organisation "${organization}": ` +
            'metadata belongs to the organisation, and two stacks owning it overwrite each other. ' +
            `Set "metricMetadata": false here (or "release" if this stack managed it before), or give environments.${owner} "metricMetadata": false.`,
        });
      }
    }
    const site = firstSite.get(organization);
    if (site === undefined) {
      firstSite.set(organization, [name, environment.site]);
    } else if (site[1] !== environment.site) {
      const described = (value: DatadogSite | undefined) => (value === undefined ? 'not set (DD_HOST at deploy time)' : `"${value}"`);
      problems.push({
        ...at('site'),
        message:
          `is ${described(environment.site)}, but environments.${site[0]}.site is ${described(site[1])}, and both are in organisation ` +
          `"${organization}", which lives on one site: give them the same site, or different "organization" names.`,
      });
    }
  }
  return problems;
}

/** What the schema cannot say. */
function meaningProblems(name: string, environment: EnvironmentEntry): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const backend = environment.backend;
  if (backend?.type === 'local' && backend.path !== undefined && (backend.path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(backend.path))) {
    problems.push({
      path: `environments.${name}.backend.path`,
      segments: ['environments', name, 'backend', 'path'],
      message: `"${backend.path}" is absolute: give a path relative to the project root, so that synth output is the same in every checkout.`,
    });
  }
  return problems;
}

/**
 * A copy of the document without the values the schema refused (a list whose item is wrong goes
 * whole), so that the rest can still be built and checked in the same run.
 */
function withoutProblemValues(json: unknown, problems: readonly ConfigProblem[]): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const copy = structuredClone(json) as Record<string, unknown>;
  for (const problem of problems) {
    if (problem.segments.length === 0) return undefined;
    let segments = problem.segments;
    let parent: unknown = copy;
    for (let index = 0; index < segments.length - 1; index++) {
      const next = (parent as Record<string, unknown>)?.[segments[index]];
      if (Array.isArray(next)) {
        segments = segments.slice(0, index + 1);
        break;
      }
      parent = next;
    }
    if (typeof parent !== 'object' || parent === null) continue;
    const key = segments[segments.length - 1];
    if (key in parent) {
      delete (parent as Record<string, unknown>)[key];
    } else if (segments.length >= 2) {
      // A required key is missing: without it the object cannot be built.
      const container = segments.slice(0, -2).reduce<unknown>((value, segment) => (value as Record<string, unknown>)?.[segment], copy);
      if (typeof container === 'object' && container !== null) delete (container as Record<string, unknown>)[segments[segments.length - 2]];
    }
  }
  return copy;
}

function withoutComment<T extends { $comment?: string }>(value: T): Omit<T, '$comment'> {
  const { $comment: _comment, ...rest } = value;
  return rest;
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
