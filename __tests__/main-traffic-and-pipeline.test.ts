import { Testing } from 'cdktf';
import { PIPELINE_MONITORS } from '../constructs';
import { addEnvironmentStacks } from '../main';

/** The committed config/environments.json: staging uses every traffic and pipeline monitor, prod none. */
describe('main: traffic and pipeline monitors in the example environments', () => {
  const stacks = addEnvironmentStacks(Testing.app());
  const synthesized = Object.fromEntries(stacks.map((stack) => [stack.node.id, JSON.parse(Testing.synth(stack, true))]));
  const staging = synthesized['algorithmia-staging'];
  const prod = synthesized['algorithmia-prod'];

  it('gives staging each traffic and pipeline monitor, with the query docs/traffic-and-pipeline.md shows', () => {
    const monitor = (id: string) => staging.resource.datadog_monitor[`algorithmia_${id}`];
    expect(Object.fromEntries(PIPELINE_MONITORS.map((entry) => [entry.id, monitor(entry.id).query]))).toEqual({
      silent_model_monitor: 'sum(last_30m):sum:algorithmia.executions{env:staging} by {algorithm_name}.as_count() < 1',
      traffic_drop_monitor: 'pct_change(sum(last_1h),last_1w):sum:algorithmia.executions{env:staging} by {algorithm_name}.as_count() < -50',
      forwarder_silent_monitor: 'sum(last_5m):sum:algorithmia.forwarder.heartbeat{env:staging}.as_count() < 1',
      consumer_lag_monitor: 'max(last_5m):max:algorithmia.forwarder.consumer_lag_seconds{env:staging} > 300',
      dead_lettered_monitor: 'sum(last_15m):sum:algorithmia.forwarder.messages.dead_lettered{env:staging}.as_count() > 0',
      rejected_points_monitor: 'sum(last_30m):sum:algorithmia.forwarder.points.rejected{env:staging}.as_count() > 0',
    });
    expect(monitor('traffic_drop_monitor').monitor_thresholds).toEqual({ critical: '-50', warning: '-30' });
    expect(monitor('consumer_lag_monitor').monitor_thresholds).toEqual({ critical: '300', warning: '120' });
    expect(monitor('silent_model_monitor')).toMatchObject({
      name: '[Algorithmia] Model silent (staging)',
      tags: ['integration:algorithmia', 'env:staging', 'team:ml-platform'],
      on_missing_data: 'default',
    });
    expect(monitor('silent_model_monitor').message).toMatch(
      /^algorithm_name:\{\{algorithm_name.name\}\}\n\n.*30 minutes.*\n\n@slack-ml-staging$/s,
    );
  });

  it('lists them in the monitors output under their construct ids', () => {
    for (const entry of PIPELINE_MONITORS) {
      expect(staging.output.monitors.value[entry.id].id).toBe(`\${datadog_monitor.algorithmia_${entry.id}.id}`);
    }
  });

  it('never sends on_missing_data together with notify_no_data or no_data_timeframe, on any monitor of any stack', () => {
    const monitors = Object.values(synthesized).flatMap((stack) => Object.entries<any>(stack.resource.datadog_monitor));
    expect(monitors.length).toBeGreaterThan(PIPELINE_MONITORS.length);
    const both = monitors.filter(
      ([, monitor]) => 'on_missing_data' in monitor && ('notify_no_data' in monitor || 'no_data_timeframe' in monitor),
    );
    expect(both.map(([address]) => address)).toEqual([]);
    // Each traffic and pipeline monitor sets it: an empty count is 0 (default), a stale lag resolves.
    const missingData = Object.fromEntries(
      PIPELINE_MONITORS.map((entry) => [entry.id, staging.resource.datadog_monitor[`algorithmia_${entry.id}`].on_missing_data]),
    );
    expect(missingData).toEqual({
      silent_model_monitor: 'default',
      traffic_drop_monitor: 'default',
      forwarder_silent_monitor: 'default',
      consumer_lag_monitor: 'resolve',
      dead_lettered_monitor: 'default',
      rejected_points_monitor: 'default',
    });
  });

  it("draws staging's executions widget and Pipeline group, and leaves prod's monitors and dashboard without them", () => {
    const widgets = staging.resource.datadog_dashboard.algorithmia_dashboard.widget;
    const titles = widgets.map((widget: any) => Object.values(widget)[0] as { title?: string }).map((definition: any) => definition.title);
    expect(titles).toContain('Executions per algorithm');
    const group = widgets.find((widget: any) => widget.group_definition?.title === 'Pipeline')?.group_definition;
    expect(widgets.at(-1).group_definition).toBe(group);
    expect(group.widget.map((widget: any) => widget.timeseries_definition.title)).toEqual([
      'Forwarder heartbeat by instance',
      'Consumer lag (seconds)',
      'Consumer lag (messages)',
      'Messages consumed, invalid, dead-lettered',
      'Points sent, rejected, dropped',
      'Retries by reason',
      'Points buffered by instance',
    ]);
    // The forwarder's health has no algorithm tags: the group follows $env only.
    expect(group.widget[0].timeseries_definition.request[0].q).toBe(
      'sum:algorithmia.forwarder.heartbeat{$env} by {forwarder_instance}.as_count()',
    );
    expect(
      widgets.find((widget: any) => widget.timeseries_definition?.title === 'Executions per algorithm').timeseries_definition.request[0].q,
    ).toBe('sum:algorithmia.executions{$env,$algorithm_name,$algorithm_version,$algorithm_owner} by {algorithm_name}.as_count()');
    expect(Object.keys(prod.resource.datadog_monitor).sort()).toEqual([
      'algorithmia_duration_monitor',
      'algorithmia_monitor_approved',
      'algorithmia_monitor_risk_score',
    ]);
    expect(JSON.stringify(prod.resource.datadog_dashboard)).not.toMatch(/executions|forwarder/);
  });
});
