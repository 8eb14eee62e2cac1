import { Testing } from 'cdktf';
import { parseMetricDeclaration } from '@algorithmia-datadog/metric-declaration';
import { AlgorithmiaStack, AlgorithmiaStackProps } from '../../../constructs';
import '../../helpers/synth';

function synth(props: AlgorithmiaStackProps): any {
  return JSON.parse(Testing.synth(new AlgorithmiaStack(Testing.app(), 'algorithmia-staging', props), true));
}

describe('ReleasedMetricMetadata (metricMetadata: "release")', () => {
  const catalog = parseMetricDeclaration({ inferenceMetrics: [{ key: 'risk_score' }, { key: 'approved' }] });

  it('forgets, without destroying, exactly the metadata resources the stack managed before', () => {
    const before = synth({ integration: { catalog } });
    const after = synth({ integration: { catalog, metricMetadata: 'release' } });
    const managedBefore = Object.keys(before.resource.datadog_metric_metadata).map((name) => `datadog_metric_metadata.${name}`);
    expect(after.resource.datadog_metric_metadata).toBeUndefined();
    expect(after.removed).toEqual(expect.arrayContaining(managedBefore.map((from) => ({ from, lifecycle: { destroy: false } }))));
    expect(after.removed).toHaveLength(managedBefore.length);
    expect(managedBefore).toContain('datadog_metric_metadata.algorithmia_metric_metadata_algorithmia_risk_score');
  });

  it('leaves everything else as it was: the move only touches metadata', () => {
    const before = synth({ integration: { catalog } });
    const after = synth({ integration: { catalog, metricMetadata: 'release' } });
    const { datadog_metric_metadata: _metadata, ...otherResources } = before.resource;
    expect(after.resource).toEqual(otherResources);
  });

  it('adds no removed block when metadata is managed or simply off', () => {
    expect(synth({ integration: { catalog } }).removed).toBeUndefined();
    expect(synth({ integration: { catalog, metricMetadata: false } }).removed).toBeUndefined();
  });
});
