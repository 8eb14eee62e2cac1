import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { addEnvironmentStacks } from '../../../main';
import { readSynthOutput, StackJson } from '../../../scripts/plan-summary/synth-output';
import { compareSynthOutputs, describeDifference, providerAddress } from '../../../scripts/cdktn/synth-diff';

/** The app's stacks as `cdktf synth` writes them to cdktf.out. */
function synthesizedApp(): Map<string, StackJson> {
  const folder = mkdtempSync(join(tmpdir(), 'synth-diff-'));
  try {
    const app = new App({ outdir: join(folder, 'cdktf.out') });
    addEnvironmentStacks(app);
    app.synth();
    return readSynthOutput(join(folder, 'cdktf.out'));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** A deep copy of the stacks with `edit` applied to one of them. */
function edited(stacks: Map<string, StackJson>, stack: string, edit: (json: any) => void): Map<string, StackJson> {
  const copy = new Map([...stacks].map(([name, json]) => [name, structuredClone(json)]));
  edit(copy.get(stack));
  return copy;
}

describe('compareSynthOutputs', () => {
  const cdktf = synthesizedApp();
  // What a move changes in the same app (other versions than any real ones, so that this test also
  // holds in a checkout already on CDK Terrain).
  const cdktn = new Map(
    [...cdktf].map(([name, json]) => {
      const copy: any = structuredClone(json);
      copy['//'].metadata.version = '9.9.9-test';
      copy.terraform.required_providers.datadog.version = '99.0.0-test';
      return [name, copy];
    }),
  );
  const datadogVersion = (cdktf.get('algorithmia-prod') as any).terraform.required_providers.datadog.version;

  it('accepts the same resources with other CDKTF/cdktn and provider versions, and lists those', () => {
    const { differences, allowedChanges, resourceCount } = compareSynthOutputs(cdktf, cdktn);
    expect(differences).toEqual([]);
    expect(resourceCount).toBeGreaterThan(10);
    expect(allowedChanges).toContainEqual({ stack: 'algorithmia-prod', what: 'provider datadog version', cdktf: datadogVersion, cdktn: '99.0.0-test' });
    expect(allowedChanges.map((change) => change.what)).toContain('cdktf/cdktn version');
  });

  it('names the stack, the resource and the attribute of a changed value', () => {
    const changed = edited(cdktn, 'algorithmia-prod', (json) => {
      json.resource.datadog_monitor.algorithmia_duration_monitor.monitor_thresholds.critical = '12000';
    });
    const { differences } = compareSynthOutputs(cdktf, changed);
    expect(differences.map(describeDifference)).toEqual([
      'algorithmia-prod: datadog_monitor.algorithmia_duration_monitor: monitor_thresholds.critical: cdktf "10000", cdktn "12000"',
    ]);
  });

  it('reports an attribute, a resource or a stack present on one side only', () => {
    const changed = edited(cdktn, 'algorithmia-staging', (json) => {
      const monitors = json.resource.datadog_monitor;
      delete monitors.algorithmia_monitor_risk_score.notify_audit;
      monitors.algorithmia_monitor_risk_score.tags.push('extra');
      monitors.renamed = monitors.algorithmia_duration_monitor;
      delete monitors.algorithmia_duration_monitor;
    });
    changed.delete('algorithmia-prod');
    const lines = compareSynthOutputs(cdktf, changed).differences.map(describeDifference);
    expect(lines).toEqual([
      'algorithmia-prod: (stack): only in the cdktf synthesis',
      'algorithmia-staging: datadog_monitor.algorithmia_duration_monitor: only in the cdktf synthesis',
      'algorithmia-staging: datadog_monitor.algorithmia_monitor_risk_score: notify_audit: only in the cdktf synthesis',
      expect.stringMatching(/^algorithmia-staging: datadog_monitor\.algorithmia_monitor_risk_score: tags: cdktf \[.*\], cdktn \[.*"extra"\]$/),
      'algorithmia-staging: datadog_monitor.renamed: only in the cdktn synthesis',
    ]);
  });

  it('names each resource of a resource type missing on one side', () => {
    const changed = edited(cdktn, 'algorithmia-prod', (json) => {
      delete json.resource.datadog_metric_metadata;
    });
    const lines = compareSynthOutputs(cdktf, changed).differences.map(describeDifference);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines).toContain('algorithmia-prod: datadog_metric_metadata.algorithmia_metric_metadata_algorithmia_duration_milliseconds: only in the cdktf synthesis');
  });

  it('treats construct paths (they make the addresses) and other provider settings as differences', () => {
    const changed = edited(cdktn, 'algorithmia-prod', (json) => {
      json.resource.datadog_monitor.algorithmia_duration_monitor['//'].metadata.path = 'algorithmia-prod/elsewhere';
      json.terraform.required_providers.datadog.source = 'someone/datadog';
    });
    const lines = compareSynthOutputs(cdktf, changed).differences.map(describeDifference);
    expect(lines).toEqual([
      'algorithmia-prod: datadog_monitor.algorithmia_duration_monitor: //.metadata.path: cdktf "algorithmia-prod/algorithmia/duration_monitor/Default", cdktn "algorithmia-prod/elsewhere"',
      'algorithmia-prod: terraform: required_providers.datadog.source: cdktf "DataDog/datadog", cdktn "someone/datadog"',
    ]);
  });

  it('accepts two spellings of the same provider source', () => {
    const before = new Map([['s', { terraform: { required_providers: { kubernetes: { source: 'kubernetes', version: '2.38.0' } } } } as StackJson]]);
    const after = new Map([['s', { terraform: { required_providers: { kubernetes: { source: 'hashicorp/kubernetes', version: '3.4.0' } } } } as StackJson]]);
    const { differences, allowedChanges } = compareSynthOutputs(before, after);
    expect(differences).toEqual([]);
    expect(allowedChanges.map((change) => change.what)).toEqual([
      'provider kubernetes source (both registry.terraform.io/hashicorp/kubernetes)',
      'provider kubernetes version',
    ]);
  });
});

describe('providerAddress', () => {
  it.each([
    ['kubernetes', 'registry.terraform.io/hashicorp/kubernetes'],
    ['hashicorp/kubernetes', 'registry.terraform.io/hashicorp/kubernetes'],
    ['DataDog/datadog', 'registry.terraform.io/datadog/datadog'],
    ['registry.opentofu.org/hashicorp/kubernetes', 'registry.opentofu.org/hashicorp/kubernetes'],
  ])('%s is %s', (source, address) => {
    expect(providerAddress(source)).toBe(address);
  });
});
