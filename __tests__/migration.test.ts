import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { addEnvironmentStacks, CONFIG_FILES } from '../main';

/** Every stack of a config, synthesized: stack name → Terraform JSON. */
function synthesizeConfig(environments: unknown): Record<string, any> {
  const file = join(mkdtempSync(join(tmpdir(), 'environments-')), 'environments.json');
  writeFileSync(file, JSON.stringify({ environments }));
  const stacks = addEnvironmentStacks(Testing.app(), { ...CONFIG_FILES, environments: file });
  return Object.fromEntries(stacks.map((stack) => [stack.node.id, JSON.parse(Testing.synth(stack, true))]));
}

/** `type.name` → resource body. */
function resources(stack: any): Map<string, unknown> {
  const found = new Map<string, unknown>();
  for (const [type, byName] of Object.entries(stack.resource ?? {})) {
    for (const [name, body] of Object.entries(byName as Record<string, unknown>)) found.set(`${type}.${name}`, body);
  }
  return found;
}

describe('moving an install where staging and prod share an organisation to one metadata owner', () => {
  // Before: each environment owned the metadata (the only layout there was).
  const before = synthesizeConfig({ staging: { label: 'staging', scope: 'env:staging' }, prod: { scope: 'env:prod' } });
  // After: same organisation; prod owns the metadata, staging releases what it had.
  const after = synthesizeConfig({
    staging: { organization: 'acme', label: 'staging', scope: 'env:staging', metricMetadata: 'release' },
    prod: { organization: 'acme', scope: 'env:prod', metricMetadata: true },
  });

  it('leaves prod exactly as it was: nothing to create, change or delete', () => {
    expect(after['algorithmia-prod'].resource).toEqual(before['algorithmia-prod'].resource);
  });

  it('in staging, changes nothing but the organisation-wide objects (metadata, percentiles), and forgets them instead of deleting them', () => {
    const old = resources(before['algorithmia-staging']);
    const current = resources(after['algorithmia-staging']);
    const gone = [...old.keys()].filter((address) => !current.has(address));
    expect(gone.length).toBeGreaterThan(0);
    expect(gone.filter((address) => !/^datadog_metric_(metadata|tag_configuration)\./.test(address))).toEqual([]);
    expect(gone).toContain('datadog_metric_tag_configuration.algorithmia_metric_percentiles_algorithmia_churn_probability');
    // Each resource leaving the configuration has a removed block with destroy = false: no delete.
    expect(after['algorithmia-staging'].removed.map((block: any) => block.from).sort()).toEqual(gone.sort());
    expect(after['algorithmia-staging'].removed.every((block: any) => block.lifecycle.destroy === false)).toBe(true);
    // Nothing else is recreated or changed.
    for (const [address, body] of current) expect({ address, body }).toEqual({ address, body: old.get(address) });
  });

  it("the organisation still has every metric's metadata exactly once, in prod", () => {
    const owned = (stack: any) => Object.values(stack.resource.datadog_metric_metadata ?? {}).map((entry: any) => entry.metric);
    expect(owned(after['algorithmia-staging'])).toEqual([]);
    expect(owned(after['algorithmia-prod']).sort()).toEqual(owned(before['algorithmia-staging']).sort());
  });
});

describe('seed fidelity through the config file', () => {
  it("an environment with no settings declares the integration's dashboard, monitor and metadata (plus one widget and metadata per declared metric)", () => {
    const stack = synthesizeConfig({ prod: {} })['algorithmia-prod'];
    const dashboard = Object.values<any>(stack.resource.datadog_dashboard)[0];
    const monitor = Object.values<any>(stack.resource.datadog_monitor);
    expect(dashboard.title).toBe('Algorithmia');
    expect(dashboard.widget.slice(0, 4).map((widget: any) => Object.keys(widget)[0])).toEqual([
      'timeseries_definition',
      'alert_graph_definition',
      'query_value_definition',
      'alert_value_definition',
    ]);
    expect(monitor.map((entry) => entry.query)).toEqual(['avg(last_5m):avg:algorithmia.duration_milliseconds{*} > 10000']);
    expect(stack.import).toBeUndefined();
    expect(stack.removed).toBeUndefined();
  });
});
