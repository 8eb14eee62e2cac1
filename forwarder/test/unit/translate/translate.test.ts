import { FORWARDER_SETTINGS, parseMetricDeclaration } from '@algorithmia-datadog/metric-declaration';
import type { Insight } from '../../../src/decode/insight';
import { Translator } from '../../../src/translate/translate';

const NOW = 1_700_000_000;
const base: Insight = {
  algorithmName: 'credit_card_approval',
  algorithmOwner: 'asli',
  algorithmVersion: '1.0.6',
  requestId: 'req-1',
  sessionId: 'rses-1',
  timestamp: NOW - 5,
  timeFromRecord: false,
  fields: {},
};

function translator(options: Partial<ConstructorParameters<typeof Translator>[0]> = {}, declaration: object = {}) {
  return new Translator({
    catalog: parseMetricDeclaration(declaration),
    nowSeconds: () => NOW,
    ...options,
    maxSeries: options.maxSeries ?? FORWARDER_SETTINGS.maxSeries.default,
  });
}

describe('Translator', () => {
  it('makes one point per numeric field with algorithm tags and the message time', () => {
    const { points, dropped } = translator({ staticTags: ['env:prod'] }).translate({
      ...base,
      fields: { duration_milliseconds: 8, risk_score: 0.2 },
    });
    expect(dropped).toEqual([]);
    const tags = ['algorithm_name:credit_card_approval', 'algorithm_version:1.0.6', 'algorithm_owner:asli', 'env:prod'];
    expect(points).toEqual([
      {
        series: { id: expect.any(Number), metric: 'algorithmia.duration_milliseconds', kind: 'gauge', tags, unit: 'millisecond' },
        value: 8,
        timestamp: NOW - 5,
      },
      {
        series: { id: expect.any(Number), metric: 'algorithmia.risk_score', kind: 'gauge', tags, unit: undefined },
        value: 0.2,
        timestamp: NOW - 5,
      },
      {
        series: { id: expect.any(Number), metric: 'algorithmia.executions', kind: 'count', tags, unit: 'execution' },
        value: 1,
        timestamp: NOW - 5,
      },
    ]);
  });

  it('gives points of one metric and tag set the same series, and others another', () => {
    const t = translator();
    const first = t.translate({ ...base, fields: { a: 1, b: 2 } }).points;
    const again = t.translate({ ...base, timestamp: NOW - 4, fields: { b: 3, a: 4 } }).points;
    const otherVersion = t.translate({ ...base, algorithmVersion: '2.0.0', fields: { a: 5 } }).points;
    expect(again[1].series).toBe(first[0].series);
    expect(again[0].series).toBe(first[1].series);
    expect(first[0].series).not.toBe(first[1].series);
    expect(otherVersion[0].series).not.toBe(first[0].series);
    expect(otherVersion[0].series.tags).toContain('algorithm_version:2.0.0');
  });

  it('tags request and session ids only when asked', () => {
    const withIds = translator({ tagRequestIds: true }).translate({ ...base, fields: { x: 1 } });
    expect(withIds.points[0].series.tags).toEqual(expect.arrayContaining(['request_id:req-1', 'session_id:rses-1']));
    const without = translator().translate({ ...base, fields: { x: 1 } });
    expect(without.points[0].series.tags.join(',')).not.toMatch(/request_id|session_id/);
  });

  it('turns booleans into 1/0 and skips everything else by reason, keeping the rest', () => {
    const { points, dropped } = translator().translate({
      ...base,
      fields: {
        yes: true,
        no: false,
        s: '0.5',
        n: null,
        nan: Number.NaN,
        inf: Number.POSITIVE_INFINITY,
        o: { a: 1 },
        arr: [1],
        ok: 3,
        'bad name!': 1,
        '€': 2,
      },
    });
    expect(points.map((p) => [p.series.metric, p.value])).toEqual([
      ['algorithmia.yes', 1],
      ['algorithmia.no', 0],
      ['algorithmia.ok', 3],
      ['algorithmia.bad_name', 1],
      ['algorithmia.executions', 1],
    ]);
    expect(dropped.sort()).toEqual(
      ['array_value', 'invalid_name', 'nested_object', 'not_finite', 'not_finite', 'null_value', 'string_value'].sort(),
    );
  });

  it('uses the declared kind and unit, and can act as an allow-list', () => {
    const declaration = { onlyDeclared: true, inferenceMetrics: [{ key: 'latency', kind: 'distribution', unit: 'second' }] };
    const { points, dropped } = translator({}, declaration).translate({
      ...base,
      fields: { latency: 0.3, other: 1, duration_milliseconds: 2 },
    });
    expect(points.map((p) => [p.series.metric, p.series.kind, p.series.unit])).toEqual([
      ['algorithmia.latency', 'distribution', 'second'],
      ['algorithmia.duration_milliseconds', 'gauge', 'millisecond'],
      ['algorithmia.executions', 'count', 'execution'],
    ]);
    expect(dropped).toEqual(['undeclared']);
  });

  it("counts points outside Datadog's window instead of sending them", () => {
    expect(translator().translate({ ...base, timestamp: NOW - 3571, fields: { a: 1, b: 2 } })).toEqual({
      points: [],
      // The two values and the execution.
      dropped: ['too_old', 'too_old', 'too_old'],
    });
    expect(translator().translate({ ...base, timestamp: NOW + 571, fields: { a: 1 } })).toEqual({
      points: [],
      dropped: ['too_far_in_future', 'too_far_in_future'],
    });
    expect(translator().translate({ ...base, timestamp: NOW - 3569, fields: { a: 1 } }).points).toHaveLength(2);
  });

  it("adds the execution tags (the process's instance) to the execution count only", () => {
    const t = translator({ staticTags: ['env:prod'], executionTags: ['forwarder_instance:host.abc'] });
    const points = t.translate({ ...base, fields: { a: 1 } }).points;
    const tagsOf = (metric: string) => points.find((p) => p.series.metric === metric)?.series.tags;
    expect(tagsOf('algorithmia.executions')).toEqual([
      'algorithm_name:credit_card_approval',
      'algorithm_version:1.0.6',
      'algorithm_owner:asli',
      'env:prod',
      'forwarder_instance:host.abc',
    ]);
    expect(tagsOf('algorithmia.a')).not.toContain('forwarder_instance:host.abc');
  });

  it('counts one execution per message with an algorithm name, without request-level tags', () => {
    const t = translator({ tagRequestIds: true, staticTags: ['env:prod'] });
    const one = t.translate({ ...base, fields: { a: 1 } }).points;
    const execution = one.find((p) => p.series.metric === 'algorithmia.executions');
    expect(execution).toEqual({
      series: {
        id: expect.any(Number),
        metric: 'algorithmia.executions',
        kind: 'count',
        tags: ['algorithm_name:credit_card_approval', 'algorithm_version:1.0.6', 'algorithm_owner:asli', 'env:prod'],
        unit: 'execution',
      },
      value: 1,
      timestamp: NOW - 5,
    });
    // Another request of the same model: the same series (ids would make one per request).
    const next = t.translate({ ...base, requestId: 'req-2', sessionId: 'rses-2', fields: {} }).points;
    expect(next).toEqual([{ ...execution, series: execution?.series }]);
    expect(next[0].series).toBe(execution?.series);
    const { algorithmName: _, ...anonymous } = base;
    expect(t.translate({ ...anonymous, fields: { a: 1 } }).points.map((p) => p.series.metric)).toEqual(['algorithmia.a']);
  });

  it("drops values whose key would land on the reserved names of the forwarder's own metrics", () => {
    const { points, dropped } = translator().translate({
      ...base,
      fields: { executions: 5, ' executions ': 6, 'forwarder.heartbeat': 1, forwarder: 2, executions_total: 3 },
    });
    expect(points.map((p) => [p.series.metric, p.value])).toEqual([
      ['algorithmia.executions_total', 3],
      ['algorithmia.executions', 1],
    ]);
    expect(dropped).toEqual(['reserved_name', 'reserved_name', 'reserved_name', 'reserved_name']);
    const allowList = translator({}, { onlyDeclared: true });
    expect(allowList.translate({ ...base, fields: { executions: 5 } }).dropped).toEqual(['reserved_name']);
  });

  it('omits tags of missing operational fields and repairs invalid tag characters', () => {
    const { points } = translator().translate({ timestamp: NOW, timeFromRecord: true, algorithmName: 'my model', fields: { a: 1 } });
    expect(points.map((p) => p.series.tags)).toEqual([['algorithm_name:my_model'], ['algorithm_name:my_model']]);
  });
});
