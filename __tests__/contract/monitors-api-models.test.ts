/**
 * Contract test on the API side: every monitor and every metric metadata of every stack of the
 * shipped config (config/environments.json), turned into the body the Terraform provider sends
 * (terraform-to-api.ts), must fit Datadog's published models (`@datadog/datadog-api-client`) and
 * the rules they cannot express. The real provider cannot run here; this is the check that a
 * synthesized value Datadog would refuse (an unknown on_missing_data, a metadata type, a unit)
 * fails in CI, not at apply time. The SLO burn-rate alerts (`slo alert`) are checked here too, with
 * their `${datadog_service_level_objective.<name>.id}` resolved to a realistic SLO id as Terraform
 * would; the SLOs themselves are in slos-api-models.test.ts.
 */
import { Testing } from 'cdktf';
import { addEnvironmentStacks } from '../../main';
import { sloIdFor, withSloIds } from './slo-to-api';
import {
  metricMetadataProblems,
  monitorBody,
  monitorProblems,
  QUERY_CHECKED_MONITOR_TYPES,
  type TerraformResource,
} from './terraform-to-api';

type Resources = Record<string, TerraformResource>;

// Synthesized once for the file.
const stacks = addEnvironmentStacks(Testing.app()).map((stack) => {
  const synthesized = JSON.parse(Testing.synth(stack, true));
  return {
    name: stack.node.id,
    monitors: (synthesized.resource?.datadog_monitor ?? {}) as Resources,
    sloNames: new Set(Object.keys(synthesized.resource?.datadog_service_level_objective ?? {})),
    metadata: (synthesized.resource?.datadog_metric_metadata ?? {}) as Resources,
  };
});

// As Terraform passes them to the provider: each SLO's `${...id}` resolved (to a realistic id).
const monitors = stacks.flatMap(({ name, monitors: resources, sloNames }) =>
  Object.entries(resources).map(([id, resource]) => ({ label: `${name} ${id}`, resource: withSloIds(resource, sloNames) })),
);
const metadata = stacks.flatMap(({ name, metadata: resources }) =>
  Object.entries(resources).map(([id, resource]) => ({ label: `${name} ${id}`, resource })),
);

describe('contract: what the provider sends for the shipped config fits Datadog API models', () => {
  it('has monitors and metric metadata to check in every shipped stack (no vacuous pass)', () => {
    expect(stacks.map((stack) => stack.name)).toEqual(['algorithmia-staging', 'algorithmia-prod']);
    for (const stack of stacks) expect(Object.keys(stack.monitors).length).toBeGreaterThan(0);
    // Metadata is declared once per organisation: in prod's stack (main.test.ts).
    expect(metadata.length).toBeGreaterThan(0);
  });

  it.each(monitors)('monitor $label fits the v1 Monitor model and the query and no-data rules', ({ resource }) => {
    expect(monitorProblems(resource)).toEqual([]);
  });

  it.each(metadata)('metric metadata $label fits the v1 MetricMetadata model, a metric type and the unit list', ({ resource }) => {
    expect(metricMetadataProblems(resource)).toEqual([]);
  });

  it('sends the options as the provider does: numbers for thresholds, defaults, no no-data timeframe with on_missing_data', () => {
    const sample = monitors.map(({ resource }) => monitorBody(resource).body);
    for (const body of sample) {
      for (const value of Object.values(body.options.thresholds)) expect(typeof value).toBe('number');
      expect(body.options.new_host_delay).toBe(300);
      expect(QUERY_CHECKED_MONITOR_TYPES.has(body.type)).toBe(true);
    }
    const withMissingData = sample.filter((body) => body.options.on_missing_data !== undefined);
    expect(withMissingData.length).toBeGreaterThan(0);
    for (const body of withMissingData) {
      expect(body.options.no_data_timeframe).toBeUndefined();
      expect(body.options.notify_no_data).toBe(false);
    }
    const legacy = sample.filter((body) => body.options.on_missing_data === undefined);
    for (const body of legacy) expect(body.options.no_data_timeframe).toBe(10);
  });

  it('checks the SLO burn-rate alerts: slo alert monitors, their SLO id resolved from an SLO of their stack', () => {
    const sloAlerts = monitors.filter(({ resource }) => resource.type === 'slo alert');
    expect(sloAlerts.length).toBeGreaterThan(0);
    const ids = new Set(stacks.flatMap(({ sloNames }) => [...sloNames].map(sloIdFor)));
    for (const { resource } of sloAlerts) {
      const id = /^burn_rate\("([0-9a-f]{32})"\)/.exec(resource.query)?.[1];
      expect(ids.has(id!)).toBe(true);
    }
  });
});

describe('contract: the checks refuse what Datadog refuses', () => {
  const monitor = monitors.find(({ resource }) => resource.on_missing_data !== undefined)!.resource;
  const legacyMonitor = monitors.find(({ resource }) => resource.on_missing_data === undefined)!.resource;
  const gauge = metadata.find(({ resource }) => resource.type === 'gauge' && resource.unit !== undefined)!.resource;

  it('an on_missing_data value outside the enum', () => {
    expect(monitorProblems({ ...monitor, on_missing_data: 'show_nothing' })).toEqual([
      'options.onMissingData: "show_nothing" is not a value the model allows here',
    ]);
  });

  it('a monitor type outside the enum, an option the model does not have, a non-numeric threshold', () => {
    expect(monitorProblems({ ...monitor, type: 'metrics alert' })).toContain('type: "metrics alert" is not a value the model allows here');
    expect(monitorProblems({ ...monitor, notification_preset_name: 'show_everything' })).toEqual([
      'options.notificationPresetName: "show_everything" is not a value the model allows here',
    ]);
    expect(monitorProblems({ ...monitor, monitor_thresholds: { critical: 'high' } }).join('\n')).toMatch(
      /does not fit Datadog's Monitor model/,
    );
    expect(monitorProblems({ ...monitor, some_new_option: true })).toContain(
      'some_new_option: not mapped to the API body (add it to __tests__/contract/terraform-to-api.ts)',
    );
  });

  it('on_missing_data together with notify_no_data or no_data_timeframe', () => {
    expect(monitorProblems({ ...legacyMonitor, on_missing_data: 'resolve' })).toEqual([
      'notify_no_data: set together with on_missing_data (the provider refuses the pair)',
    ]);
    expect(monitorProblems({ ...monitor, notify_no_data: true, no_data_timeframe: 20 })).toEqual([
      'notify_no_data: set together with on_missing_data (the provider refuses the pair)',
      'no_data_timeframe: set together with on_missing_data (the provider refuses the pair)',
      'options.notify_no_data: true sent with on_missing_data',
    ]);
  });

  it('a metric query without a known aggregation form, or whose threshold differs from critical', () => {
    expect(monitorProblems({ ...legacyMonitor, query: 'algorithmia.risk_score{*} > 1' })).toContain(
      'query: "algorithmia.risk_score{*} > 1" does not start with a known aggregation form',
    );
    expect(monitorProblems({ ...legacyMonitor, query: 'median(last_5m):avg:algorithmia.risk_score{*} > 1' }).join('\n')).toMatch(
      /known aggregation form/,
    );
    const critical = Number(legacyMonitor.monitor_thresholds.critical);
    expect(
      monitorProblems({ ...legacyMonitor, monitor_thresholds: { ...legacyMonitor.monitor_thresholds, critical: String(critical + 1) } }),
    ).toEqual([`options.thresholds.critical: ${critical + 1} differs from the query's threshold ${legacyMonitor.query.split(' ').pop()}`]);
  });

  it('an slo alert whose SLO reference is not resolved, whose type or query form is wrong, or whose threshold differs', () => {
    const sloAlert = monitors.find(({ resource }) => resource.type === 'slo alert')!.resource;
    const id = /"([0-9a-f]{32})"/.exec(sloAlert.query)![1];
    const unresolved = sloAlert.query.replace(id, '${datadog_service_level_objective.gone.id}');
    expect(monitorProblems({ ...sloAlert, query: unresolved })).toEqual([
      `query: "${unresolved}" holds an unresolved Terraform reference`,
      `query: "${unresolved}" is not a burn_rate or error_budget query on an SLO id over 7d, 30d or 90d`,
    ]);
    expect(monitorProblems({ ...sloAlert, type: 'slo_alert' })).toContain('type: "slo_alert" is not a value the model allows here');
    const fortnight = sloAlert.query.replace(/\.over\("[^"]+"\)/, '.over("14d")');
    expect(monitorProblems({ ...sloAlert, query: fortnight })).toEqual([
      `query: "${fortnight}" is not a burn_rate or error_budget query on an SLO id over 7d, 30d or 90d`,
    ]);
    expect(monitorProblems({ ...sloAlert, monitor_thresholds: { critical: '6' } })).toEqual([
      `options.thresholds.critical: 6 differs from the query's threshold ${sloAlert.query.split(' ').pop()}`,
    ]);
  });

  it('a metadata type, unit or statsd_interval Datadog does not take', () => {
    expect(metricMetadataProblems({ ...gauge, type: 'gauges' })).toEqual([
      `type: "gauges" is not a Datadog metric type (body: "gauges" is not a value the model allows here)`,
    ]);
    expect(metricMetadataProblems({ ...gauge, unit: 'milliseconds', per_unit: 'fortnight' })).toEqual([
      'unit: "milliseconds": Datadog units are singular: use "millisecond"',
      'per_unit: "fortnight": it is not one of the units Datadog knows (https://docs.datadoghq.com/metrics/units/)',
    ]);
    expect(metricMetadataProblems({ ...gauge, statsd_interval: '10' }).join('\n')).toMatch(/does not fit Datadog's MetricMetadata model/);
    expect(metricMetadataProblems({ ...gauge, statsd_interval: -1 })).toEqual([
      'statsd_interval: -1 is not a non-negative integer of seconds',
    ]);
  });
});
