/**
 * The definition of config/metrics.json. `scripts/schemas.ts` writes it out as
 * metric-declaration/src/metrics.schema.json (where the declaration loader, in the app and in the
 * forwarder, reads it) and config/metrics.schema.json (for editors); CI checks both are fresh.
 */
import { Type } from '@sinclair/typebox';
import { DEFAULT_PREFIX, METRIC_KINDS } from '@algorithmia-datadog/metric-declaration';

const INFERENCE_METRIC = Type.Object(
  {
    key: Type.String({
      minLength: 1,
      description: 'Top-level key in the Insights message, e.g. risk_score. The metric is <prefix>.<key>.',
      examples: ['risk_score'],
      errorMessage: 'give the key of the value in the Insights message, e.g. "risk_score".',
    }),
    kind: Type.Optional(
      Type.Unsafe<(typeof METRIC_KINDS)[number]>({
        enum: [...METRIC_KINDS],
        description:
          'gauge keeps the last value per series and second (as the integration did); distribution keeps every value, for percentiles.',
        default: METRIC_KINDS[0],
      }),
    ),
    unit: Type.Optional(
      Type.String({ description: 'A Datadog unit, singular: millisecond, fraction, percent, byte, prediction...', examples: ['fraction'] }),
    ),
    description: Type.Optional(Type.String({ description: "Shown in Datadog's metric summary." })),
    percentiles: Type.Optional(
      Type.Boolean({
        description:
          "Distributions only: enable percentile aggregations (p50, p75, p90, p95, p99) for this metric in the organisation, which percentile monitors and widgets need. The stack that manages the organisation's metric metadata creates its tag configuration. Each percentile is billed as custom metrics.",
        default: false,
      }),
    ),
  },
  { additionalProperties: false },
);

export const METRICS_FILE = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'Path of this schema, for editors.' })),
    $comment: Type.Optional(Type.String()),
    prefix: Type.Optional(
      Type.String({
        description: 'Metric name prefix: metrics are named <prefix>.<key>. Empty for no prefix.',
        default: DEFAULT_PREFIX,
        examples: [DEFAULT_PREFIX],
      }),
    ),
    onlyDeclared: Type.Optional(
      Type.Boolean({
        description: 'When true the forwarder sends only declared metrics and counts the others as undeclared.',
        default: false,
      }),
    ),
    inferenceMetrics: Type.Optional(
      Type.Array(INFERENCE_METRIC, {
        description: "One entry per top-level key of the Insights message that is a metric (the integration's <USER-DEFINED> row).",
        default: [],
      }),
    ),
  },
  {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Algorithmia Insights metric declaration (config/metrics.json)',
    description:
      "The metrics the forwarder sends and the CDKTF app graphs, monitors and describes. Reference: README.md, 'Adding an inference metric'.",
    additionalProperties: false,
  },
);
