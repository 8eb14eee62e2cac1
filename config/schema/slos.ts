/**
 * `slos` and `sloHandles` in config/environments.json: time-slice SLOs keyed by metric key, each
 * with its burn-rate alerts. Defaults and bounds are the constructs' (constructs/slos/).
 */
import { Type } from '@sinclair/typebox';
import { AGGREGATIONS } from '../../constructs/monitors/metric-monitor';
import { PERCENTILES } from '../../constructs/metric-query';
import { COMPARATORS, type Comparator } from '../../constructs/validation';
import {
  BURN_RATE_SEVERITIES,
  DEFAULT_BURN_RATE_ALERTS,
  DEFAULT_SLO_TIMEFRAME,
  SLICE_SECONDS,
  SLO_TIMEFRAMES,
} from '../../constructs/slos/slo-rules';
import { TIME_SLICE_SLO_DEFAULTS } from '../../constructs/slos/time-slice-slo';
import { Comment, Enum, KeyedBy } from './builders';
import { handlesSetting, scopeSetting, tagsSetting } from './monitor-settings';

const REFERENCE = 'Reference: docs/slos.md.';

const percent = (description: string) =>
  Type.Number({
    exclusiveMinimum: 0,
    exclusiveMaximum: 100,
    errorMessage: 'give a percentage above 0 and below 100, e.g. 99.5.',
    description,
  });

const TIMEFRAME = Enum(SLO_TIMEFRAMES, { description: 'Rolling timeframe of the target.', default: DEFAULT_SLO_TIMEFRAME });

const OBJECTIVE = Type.Object(
  {
    timeframe: Type.Optional(TIMEFRAME),
    target: percent('Percentage of good time slices over the timeframe, e.g. 99.5.'),
    warning: Type.Optional(percent('Shows the SLO as at risk below this percentage: above target.')),
  },
  { additionalProperties: false, description: 'One target of the SLO.' },
);

const ALERT_WINDOW = (description: string, example: string) =>
  Type.String({
    pattern: '^[1-9][0-9]*[mhd]$',
    errorMessage: `use <number><m|h|d>, e.g. "${example}".`,
    description,
    examples: [example],
  });

const BURN_RATE_ALERT = Type.Object(
  {
    burnRate: Type.Number({
      exclusiveMinimum: 0,
      errorMessage: 'give a burn rate above 0, e.g. 14.4.',
      description:
        'Alerts when the error budget burns this many times faster than the timeframe allows, over both windows; at most 1/(1 - target).',
      examples: [14.4],
    }),
    warning: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Warns at this lower burn rate.' })),
    longWindow: ALERT_WINDOW('The long window, 1h to 48h.', '1h'),
    shortWindow: ALERT_WINDOW('The short window, shorter than the long one (about a twelfth).', '5m'),
    over: Type.Optional(
      Enum(SLO_TIMEFRAMES, { description: "The SLO timeframe whose budget is measured; default the SLO's first target's." }),
    ),
    severity: Type.Optional(
      Enum(BURN_RATE_SEVERITIES, { default: 'page', description: 'page goes to sloHandles.page, ticket to sloHandles.ticket.' }),
    ),
    name: Type.Optional(
      Type.String({ minLength: 1, description: 'Monitor name; default "<SLO name>: burn rate <burnRate> over <longWindow>".' }),
    ),
    message: Type.Optional(Type.String({ minLength: 1, description: 'Notification body; the handles are appended after a blank line.' })),
    notificationHandles: Type.Optional(handlesSetting('Replaces the handles of its severity for this alert.')),
  },
  { additionalProperties: false, description: 'One multi-window burn-rate alert (a "slo alert" monitor).' },
);

const SLO = Type.Object(
  {
    $comment: Comment,
    threshold: Type.Number({
      description: "The bound of a good slice, in the metric's unit (e.g. 5000 for 5 s of duration).",
      examples: [5000],
    }),
    comparator: Type.Optional(
      Enum<Comparator>(COMPARATORS, {
        default: TIME_SLICE_SLO_DEFAULTS.comparator,
        description: 'A slice is good when its value is <comparator> threshold: <= for "at most", >= for "at least".',
      }),
    ),
    objectives: Type.Array(OBJECTIVE, {
      minItems: 1,
      errorMessage: 'give at least one target, e.g. [{ "timeframe": "30d", "target": 99.5 }].',
      description: 'The targets, one per timeframe; the first is the primary.',
      examples: [[{ timeframe: '30d', target: 99.5, warning: 99.8 }]],
    }),
    aggregation: Type.Optional(
      Enum([...AGGREGATIONS, ...PERCENTILES], {
        default: TIME_SLICE_SLO_DEFAULTS.aggregation,
        description: 'How the values of a slice are combined; a percentile (p95) for a distribution with percentiles enabled.',
      }),
    ),
    sliceSeconds: Type.Optional(
      Enum(SLICE_SECONDS, { default: TIME_SLICE_SLO_DEFAULTS.sliceSeconds, description: 'Length of a time slice: 60 or 300 seconds.' }),
    ),
    algorithms: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description: 'One SLO per listed model (algorithm_name), each with its own budget and alerts. Default: one SLO over the scope.',
        examples: [['fraud_detection']],
      }),
    ),
    burnRateAlerts: Type.Optional(
      Type.Array(BURN_RATE_ALERT, {
        description: `Replaces the default alerts: ${DEFAULT_BURN_RATE_ALERTS.map((alert) => `${alert.burnRate} over ${alert.longWindow}/${alert.shortWindow} (${alert.severity})`).join(', ')}. [] for none.`,
      }),
    ),
    scope: Type.Optional(scopeSetting("The series the slices are cut from; defaults to the environment's scope.")),
    tags: Type.Optional(tagsSetting("Added to the environment's tags on the SLO and its alerts.")),
    name: Type.Optional(Type.String({ minLength: 1, description: 'SLO name; " for <algorithm>" is appended per listed model.' })),
    description: Type.Optional(
      Type.String({ minLength: 1, description: 'Default: the condition, and that slices without data count as good.' }),
    ),
  },
  { additionalProperties: false, description: `A time-slice SLO on the metric, with burn-rate alerts. ${REFERENCE}` },
);

export const SLOS = KeyedBy(SLO, {
  description: `Time-slice SLOs keyed by the metric's key in config/metrics.json: duration_milliseconds for latency, an inference metric for quality. ${REFERENCE}`,
});

export const SLO_HANDLES = Type.Object(
  {
    $comment: Comment,
    page: Type.Optional(handlesSetting("Handles of the page alerts; default the environment's notificationHandles.")),
    ticket: Type.Optional(handlesSetting('Handles of the ticket alerts; default page.')),
  },
  { additionalProperties: false, description: `Where the SLOs' burn-rate alerts go. ${REFERENCE}` },
);
