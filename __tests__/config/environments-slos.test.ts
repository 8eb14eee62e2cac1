import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configProblems, CONFIG_FILES } from '../../main';

/** The lines `cdktf synth` prints for an environments file, its folder left out. */
function problemsFor(environments: unknown): string[] {
  const file = join(mkdtempSync(join(tmpdir(), 'environments-')), 'environments.json');
  writeFileSync(file, JSON.stringify(environments, null, 2));
  return configProblems({ ...CONFIG_FILES, environments: file }).map((line) => line.replace(/^.*?environments\.json: /, ''));
}

const latency = (settings: object) => ({ threshold: 5000, objectives: [{ target: 99.5 }], ...settings });

describe('config problems of slos and sloHandles, at the key to change', () => {
  it('shape problems from the schema: timeframe, slice, handles, required threshold and objectives', () => {
    expect(
      problemsFor({
        environments: {
          prod: {
            slos: {
              duration_milliseconds: latency({ objectives: [{ timeframe: '14d', target: 99 }], sliceSeconds: 120 }),
              risk_score: {},
            },
            sloHandles: { page: ['pagerduty-ml'] },
          },
        },
      }),
    ).toEqual([
      expect.stringMatching(
        /^environments\.prod\.slos\.duration_milliseconds\.objectives\[0\]\.timeframe "14d" is not allowed\. Use one of "7d", "30d", "90d"\.$/,
      ),
      expect.stringMatching(/^environments\.prod\.slos\.duration_milliseconds\.sliceSeconds 120.* 60, 300/),
      expect.stringMatching(/^environments\.prod\.slos\.risk_score\.threshold is missing/),
      expect.stringMatching(/^environments\.prod\.slos\.risk_score\.objectives is missing/),
      expect.stringMatching(/^environments\.prod\.sloHandles\.page\[0\] "pagerduty-ml": a notification handle starts with "@"/),
    ]);
  });

  it('meaning problems from the constructs, each at the key that set it', () => {
    expect(
      problemsFor({
        environments: {
          prod: {
            slos: {
              duration_milliseconds: latency({
                objectives: [{ timeframe: '30d', target: 95 }],
                burnRateAlerts: [
                  { burnRate: 25, longWindow: '1h', shortWindow: '5m' },
                  { burnRate: 3, longWindow: '6h', shortWindow: '6h', over: '7d' },
                ],
              }),
              risk_score: { threshold: 0.9, aggregation: 'p95', objectives: [{ target: 99 }], algorithms: ['credit', 'credit'] },
              churn: latency({}),
            },
          },
        },
      }),
    ).toEqual([
      'environments.prod.slos.risk_score.algorithms: model "credit" appears twice (at 0 and 1); remove one of them.',
      'environments.prod.slos.churn: no metric with key "churn" is declared (declared: duration_milliseconds, risk_score, approved, churn_probability). Declare it in config/metrics.json, or remove this SLO.',
      expect.stringMatching(
        /^environments\.prod\.slos\.duration_milliseconds\.burnRateAlerts\[0\]\.burnRate \(25\) is more than 20, the most a 95% target can burn/,
      ),
      expect.stringMatching(
        /^environments\.prod\.slos\.duration_milliseconds\.burnRateAlerts\[1\]\.over "7d" is not a timeframe of this SLO \(30d\)/,
      ),
      expect.stringMatching(
        /^environments\.prod\.slos\.duration_milliseconds\.burnRateAlerts\[1\]\.shortWindow \("6h"\) must be shorter than longWindow/,
      ),
      expect.stringMatching(/^environments\.prod\.slos\.risk_score\.aggregation "p95" is a percentile, .* this metric is a gauge/),
    ]);
  });

  it('names the default alert a low target cannot have, at burnRateAlerts', () => {
    expect(problemsFor({ environments: { prod: { slos: { duration_milliseconds: latency({ objectives: [{ target: 90 }] }) } } } })).toEqual(
      [
        expect.stringMatching(
          /^environments\.prod\.slos\.duration_milliseconds\.burnRateAlerts: the default alert "burn rate 14\.4 over 1h\/5m": .*Set burnRateAlerts to alerts this SLO allows\.$/,
        ),
      ],
    );
  });

  it('accepts the example: staging declares a latency and a quality SLO', () => {
    expect(configProblems(CONFIG_FILES)).toEqual([]);
  });
});
