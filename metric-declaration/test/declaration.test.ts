import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeProblem, loadMetricDeclaration, MetricDeclarationError, parseMetricDeclaration } from '../src';

function problemsOf(input: unknown): readonly string[] {
  try {
    parseMetricDeclaration(input, 'metrics.json');
  } catch (error) {
    if (error instanceof MetricDeclarationError) return error.problems.map(describeProblem);
    throw error;
  }
  throw new Error('expected the declaration to be refused');
}

describe('parseMetricDeclaration', () => {
  it('always holds the operational metric first, as in metadata.csv', () => {
    const catalog = parseMetricDeclaration({});
    expect(catalog.operational).toEqual({
      key: 'duration_milliseconds',
      name: 'algorithmia.duration_milliseconds',
      kind: 'gauge',
      unit: 'millisecond',
      description: 'Duration of algorithm run',
      percentiles: false,
      operational: true,
    });
    expect(catalog.inference).toEqual([]);
    expect(catalog.onlyDeclared).toBe(false);
  });

  it('derives names and defaults for inference metrics', () => {
    const catalog = parseMetricDeclaration({
      prefix: 'ml',
      inferenceMetrics: [
        { key: 'risk_score', unit: 'fraction' },
        { key: 'latency', kind: 'distribution' },
      ],
    });
    expect(catalog.lookup('risk_score')).toMatchObject({ name: 'ml.risk_score', kind: 'gauge', unit: 'fraction', description: '' });
    expect(catalog.lookup('latency')).toMatchObject({ name: 'ml.latency', kind: 'distribution' });
    expect(catalog.lookup('duration_milliseconds')?.name).toBe('ml.duration_milliseconds');
    expect(catalog.lookup('other')).toBeUndefined();
  });

  it('refuses a key Datadog would reject, suggesting the repaired one', () => {
    expect(problemsOf({ inferenceMetrics: [{ key: 'risk score' }] })).toEqual([
      'inferenceMetrics[0]: Datadog would reject metric name "algorithmia.risk score": it may contain only ASCII letters, digits, "_" and "."; the forwarder would send it as "algorithmia.risk_score", declare key "risk_score"',
    ]);
  });

  it('refuses a duplicate metric', () => {
    expect(problemsOf({ inferenceMetrics: [{ key: 'a' }, { key: 'a' }] })).toEqual([
      'inferenceMetrics[1]: metric "algorithmia.a" is declared twice (also inferenceMetrics[0]): remove one of them',
    ]);
    expect(problemsOf({ inferenceMetrics: [{ key: 'duration_milliseconds' }] })[0]).toContain('declared twice');
  });

  it('takes percentiles on distributions only', () => {
    expect(
      parseMetricDeclaration({ inferenceMetrics: [{ key: 'latency', kind: 'distribution', percentiles: true }] }).lookup('latency'),
    ).toMatchObject({
      percentiles: true,
    });
    expect(problemsOf({ inferenceMetrics: [{ key: 'risk', percentiles: true }] })).toEqual([
      'inferenceMetrics[0]: "percentiles" is true, but "risk" is a gauge: Datadog computes percentiles only for distributions. Declare it with "kind": "distribution", or remove "percentiles"',
    ]);
  });

  it('refuses unknown kinds, plural units, operational fields and unknown fields, all at once', () => {
    const problems = problemsOf({
      inferenceMetrics: [{ key: 'x', kind: 'counter', unit: 'milliseconds' }, { key: 'request_id' }, { key: 'y', color: 'red' }],
    });
    expect(problems).toEqual([
      'inferenceMetrics[0].kind "counter" is not allowed. Use one of "gauge", "distribution".',
      'inferenceMetrics[2].color is not a known setting. Known settings here: key, kind, unit, description, percentiles.',
      'inferenceMetrics[0]: "unit" "milliseconds": Datadog units are singular: use "millisecond"',
      'inferenceMetrics[1]: "request_id" is an operational field of every Insights message, not a metric: remove this entry',
    ]);
  });

  it("refuses keys on the names of the forwarder's own metrics, and under them", () => {
    const problems = problemsOf({
      inferenceMetrics: [{ key: 'executions' }, { key: 'forwarder.heartbeat' }, { key: 'executions_total' }, { key: 'forwarders' }],
    });
    expect(problems).toEqual([
      'inferenceMetrics[0]: "executions" is reserved: the forwarder sends its own metrics as "algorithmia.executions" and under it; declare the value under another key',
      'inferenceMetrics[1]: "forwarder.heartbeat" is reserved: the forwarder sends its own metrics as "algorithmia.forwarder.heartbeat" and under it; declare the value under another key',
    ]);
  });

  it('checks the shape with metrics.schema.json: types, missing keys, misspelt settings', () => {
    expect(problemsOf({ prefx: 'ml', onlyDeclared: 'yes', inferenceMetrics: [{ kind: 'gauge' }, 'risk_score'] })).toEqual([
      'prefx is not a known setting: did you mean "prefix"? Known settings here: prefix, onlyDeclared, inferenceMetrics.',
      'onlyDeclared must be true or false (got "yes").',
      'inferenceMetrics[0].key is missing: add it, e.g. "key": "risk_score".',
      'inferenceMetrics[1] must be an object ({ ... }) (got "risk_score").',
    ]);
  });

  it('refuses a prefix that is not a metric name', () => {
    expect(problemsOf({ prefix: '9ml' })).toEqual(['"prefix" "9ml" is not a valid metric name: it must start with an ASCII letter']);
  });
});

describe('loadMetricDeclaration', () => {
  it('loads the repository declaration', () => {
    const catalog = loadMetricDeclaration(join(__dirname, '..', '..', 'config', 'metrics.json'));
    expect(catalog.metrics.length).toBeGreaterThan(1);
  });

  it('names the file when it is not JSON or missing', () => {
    expect(() => loadMetricDeclaration('/nonexistent/metrics.json')).toThrow('/nonexistent/metrics.json: cannot read it (ENOENT)');
    expect(() => loadMetricDeclaration(__filename)).toThrow(
      /declaration\.test\.ts: line 1, column 1: not valid JSON: expected a value here/,
    );
  });

  it('gives line and column of a JSON syntax error', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'metrics-')), 'metrics.json');
    writeFileSync(file, '{\n  "inferenceMetrics": [\n    { "key": "risk_score" },\n  ]\n}\n');
    expect(() => loadMetricDeclaration(file)).toThrow(
      `${file}: line 4, column 3: not valid JSON: unexpected "]" after a comma: remove the comma (JSON allows no trailing comma).`,
    );
  });
});
