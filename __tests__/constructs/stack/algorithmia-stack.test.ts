import { Testing } from 'cdktf';
import { MetricMetadata } from '@cdktf/provider-datadog/lib/metric-metadata';
import { parseMetricDeclaration } from '@algorithmia-datadog/metric-declaration';
import { AlgorithmiaStack, AlgorithmiaStackProps } from '../../../constructs';
import type { SynthesizedStack } from '../../helpers/synth';
import '../../helpers/synth'; // registers cdktf's jest matchers

function synthStackText(props: AlgorithmiaStackProps = {}): string {
  return Testing.synth(new AlgorithmiaStack(Testing.app(), 'algorithmia-prod', props), true);
}

function synthStack(props: AlgorithmiaStackProps = {}): SynthesizedStack {
  return JSON.parse(synthStackText(props));
}

describe('AlgorithmiaStack', () => {
  it('configures the Datadog provider without any key', () => {
    expect(synthStack().provider).toEqual({ datadog: [{}] });
  });

  it('points the provider at the configured site', () => {
    expect(synthStack({ site: 'datadoghq.eu' }).provider).toEqual({ datadog: [{ api_url: 'https://api.datadoghq.eu' }] });
  });

  it('keeps local state in the project root by a relative path', () => {
    expect(synthStack().terraform?.backend).toEqual({ local: { path: '../../../terraform.algorithmia-prod.tfstate' } });
  });

  it('uses the configured backend', () => {
    expect(synthStack({ backend: { type: 's3', bucket: 'tf-state', region: 'eu-west-1' } }).terraform?.backend).toEqual({
      s3: { bucket: 'tf-state', region: 'eu-west-1', key: 'algorithmia-datadog/algorithmia-prod.tfstate', encrypt: true },
    });
  });

  it('names resources after their construct path, without hashes', () => {
    const catalog = parseMetricDeclaration({ inferenceMetrics: [{ key: 'risk_score' }] });
    const resources = synthStack({ integration: { catalog, inferenceMonitors: { risk_score: { critical: 1 } } } }).resource ?? {};
    expect(Object.keys(resources.datadog_monitor).sort()).toEqual(['algorithmia_duration_monitor', 'algorithmia_monitor_risk_score']);
    expect(Object.keys(resources.datadog_dashboard)).toEqual(['algorithmia_dashboard']);
    expect(Object.keys(resources.datadog_metric_metadata)).toEqual(
      expect.arrayContaining([
        'algorithmia_metric_metadata_algorithmia_duration_milliseconds',
        'algorithmia_metric_metadata_algorithmia_risk_score',
        'algorithmia_metric_metadata_algorithmia_forwarder_messages_dead_lettered',
      ]),
    );
  });

  it('fails when two metrics would get the same Terraform name', () => {
    const catalog = parseMetricDeclaration({ inferenceMetrics: [{ key: 'risk.score' }, { key: 'risk_score' }] });
    expect(() => synthStackText({ integration: { catalog } })).toThrow(
      /would both be named "algorithmia_metric_metadata_algorithmia_risk_score" in Terraform/,
    );
  });

  it('drops metric metadata with the switch', () => {
    expect(synthStackText({ integration: { metricMetadata: true } })).toHaveResource(MetricMetadata);
    expect(synthStackText({ integration: { metricMetadata: false } })).not.toHaveResource(MetricMetadata);
  });
});
