/**
 * The definition of config/environments.json: `scripts/schemas.ts` writes it out as
 * config/environments.schema.json (for editors; checked fresh in CI), and config/environments.ts
 * validates the file against it.
 */
import { Type, type Static, type TOptional, type TUnsafe } from '@sinclair/typebox';
import { DATADOG_SITES } from '@algorithmia-datadog/metric-declaration';
import { MODEL_MONITOR_KINDS, type ModelMonitorKindName } from '../../constructs/monitors/kinds';
import { Comment, Enum, KeyedBy, Raw } from './builders';
import { FORWARDER } from './forwarder';
import { DURATION_MONITOR, INFERENCE_MONITOR, MODEL_MONITOR_SETTINGS } from './monitors';
import { ENVIRONMENT_SCOPE, handlesSetting, tagsSetting } from './monitor-settings';
import { PIPELINE_MONITORS, TRAFFIC_MONITORS } from './pipeline-monitors';
import { SLO_HANDLES, SLOS } from './slos';
import type { StateBackendConfig } from '../../constructs/stack/state-backend';

const KEYED_BY_METRIC =
  "keyed by the metric's key in config/metrics.json (duration_milliseconds included). Reference: docs/model-monitoring.md.";

type ModelMonitorSettings = typeof MODEL_MONITOR_SETTINGS;

/** `<kind>: { <metric key>: settings }` for every kind of the registry, in its order. */
const MODEL_MONITORS = Object.fromEntries(
  (Object.keys(MODEL_MONITOR_KINDS) as ModelMonitorKindName[]).map((name) => {
    const { settings, description } = MODEL_MONITOR_SETTINGS[name];
    return [name, Type.Optional(KeyedBy(settings, { description: `${description}, ${KEYED_BY_METRIC}` }))];
  }),
) as { [Name in ModelMonitorKindName]: TOptional<TUnsafe<Record<string, Static<ModelMonitorSettings[Name]['settings']>>>> };

const ADOPT = Type.Object(
  {
    $comment: Comment,
    dashboardId: Type.Optional(
      Type.String({
        pattern: '^[a-z0-9]{3}-[a-z0-9]{3}-[a-z0-9]{3}$',
        errorMessage: 'copy the id from the dashboard\'s URL, /dashboard/<id>/..., e.g. "abc-def-ghi".',
        description: 'Id of the existing Algorithmia dashboard, from its URL /dashboard/<id>/.',
        examples: ['abc-def-ghi'],
      }),
    ),
    durationMonitorId: Type.Optional(
      Type.Integer({
        minimum: 1,
        errorMessage: "copy the number from the monitor's URL, /monitors/<id>, e.g. 1234567.",
        description: "Id of the existing 'Excessive Algorithm Runtime' monitor, from its URL /monitors/<id>.",
        examples: [1234567],
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      "Take over existing objects instead of creating new ones (e.g. those installed by Datadog's Algorithmia tile): the first deploy imports and updates them in place. Reference: docs/adopting-the-integration.md.",
  },
);

/** Each backend type has its own keys: an if/then per type, which the builders cannot express. */
const BACKEND = Raw<StateBackendConfig>({
  type: 'object',
  description:
    "Where Terraform keeps this environment's state. Credentials come from the environment at plan/apply time, never from this file.",
  required: ['type'],
  properties: { type: { enum: ['local', 's3', 'cloud'], examples: ['local'] } },
  allOf: [
    backendType('local', [], {
      path: { type: 'string', description: 'State file relative to the project root; default terraform.<stack>.tfstate.' },
    }),
    backendType('s3', ['bucket', 'region'], {
      bucket: { type: 'string', examples: ['acme-terraform-state'] },
      region: { type: 'string', examples: ['eu-west-1'] },
      key: { type: 'string' },
      dynamodbTable: { type: 'string' },
      encrypt: { type: 'boolean', default: true },
    }),
    backendType('cloud', ['organization'], {
      organization: { type: 'string', examples: ['acme'] },
      workspace: { type: 'string' },
      hostname: { type: 'string' },
    }),
  ],
  default: { type: 'local' },
});

function backendType(type: string, required: readonly string[], properties: Record<string, object>): object {
  return {
    if: { properties: { type: { const: type } } },
    then: {
      additionalProperties: false,
      ...(required.length > 0 ? { required: [...required] } : {}),
      properties: { type: {}, ...properties },
    },
  };
}

const DASHBOARD = Type.Object(
  {
    $comment: Comment,
    templateVariables: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          "Template variables for the scope's tags and algorithm_name, algorithm_version, algorithm_owner, used by every widget query.",
      }),
    ),
    perAlgorithmTable: Type.Optional(
      Type.Boolean({ default: false, description: 'A table of the duration and each inference metric by algorithm and version.' }),
    ),
    distributionPercentiles: Type.Optional(
      Type.Boolean({ default: false, description: 'p50/p95/p99 lines instead of an average line for distribution metrics.' }),
    ),
    traffic: Type.Optional(
      Type.Boolean({ default: false, description: 'A widget of the executions per algorithm (<prefix>.executions).' }),
    ),
    pipeline: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'A "Pipeline" group of the forwarder\'s health: heartbeat, lag, messages, points, retries, buffer.',
      }),
    ),
  },
  { additionalProperties: false, description: "Opt-in dashboard features for many models. Default: the integration's dashboard." },
);

export const ENVIRONMENT = Type.Object(
  {
    $comment: Comment,
    label: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'Appended in parentheses to the dashboard title and monitor names, to tell environments apart in one Datadog organisation.',
      }),
    ),
    organization: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
        errorMessage:
          'name the Datadog organisation with letters, digits, ".", "_" or "-", e.g. "acme"; environments with the same name share one organisation.',
        description:
          "The Datadog organisation this environment lives in: any name, the same for environments that share one organisation (e.g. staging and prod). Organisation-wide objects (metric metadata) are managed by one stack per organisation. Default: the environment's own organisation.",
        examples: ['acme'],
      }),
    ),
    site: Type.Optional(
      Enum(DATADOG_SITES, {
        description:
          "Datadog site; sets the provider's api_url and the URLs in the outputs. Default: DD_HOST at plan time (https://api.datadoghq.com).",
      }),
    ),
    scope: Type.Optional(ENVIRONMENT_SCOPE),
    tags: Type.Optional(tagsSetting('Tags added to every monitor, after integration:algorithmia.')),
    notificationHandles: Type.Optional(handlesSetting('Handles notified by every monitor that sets none.')),
    durationMonitor: Type.Optional(DURATION_MONITOR),
    inferenceMonitors: Type.Optional(
      KeyedBy(INFERENCE_MONITOR, { description: "Monitors on inference metrics, keyed by the metric's key in config/metrics.json." }),
    ),
    metricMetadata: Type.Optional(
      Enum([true, false, 'release'], {
        description:
          'Whether this stack manages the metric metadata (organisation-wide). Default: true for the first environment of its organisation, unless another environment of it says true; false for the others. "release": manage none and let Terraform (1.7+) forget, not delete, metadata this stack managed before (moving an existing install to one owner per organisation). Keep false on a new organisation until the forwarder has sent data (Datadog answers 404 before).',
      }),
    ),
    adopt: Type.Optional(ADOPT),
    backend: Type.Optional(BACKEND),
    forwarder: Type.Optional(FORWARDER),
    dashboard: Type.Optional(DASHBOARD),
    ...MODEL_MONITORS,
    trafficMonitors: Type.Optional(TRAFFIC_MONITORS),
    pipelineMonitors: Type.Optional(PIPELINE_MONITORS),
    slos: Type.Optional(SLOS),
    sloHandles: Type.Optional(SLO_HANDLES),
  },
  {
    additionalProperties: false,
    description:
      "One environment: one Terraform stack named algorithmia-<name>. With no settings it is the integration's dashboard, monitor and metric metadata for the metrics of config/metrics.json.",
  },
);

/** The whole file. */
export const ENVIRONMENTS_FILE = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'Path of this schema, for editors.' })),
    $comment: Comment,
    environments: KeyedBy(ENVIRONMENT, {
      minProperties: 1,
      errorMessage: 'add at least one environment, e.g. "prod": {}.',
      propertyNames: {
        pattern: '^[a-z][a-z0-9-]*$',
        errorMessage:
          'an environment name is lower-case letters, digits and "-", starting with a letter (it becomes the stack name algorithmia-<name>).',
      },
      examples: [{ prod: {} }],
    }),
  },
  {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Algorithmia Insights in Datadog: environments (config/environments.json)',
    description: 'One Terraform stack per environment. Reference: docs/provisioning.md.',
    additionalProperties: false,
  },
);
