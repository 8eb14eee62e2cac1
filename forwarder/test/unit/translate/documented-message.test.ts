import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FORWARDER_SETTINGS, loadMetricDeclaration } from '@algorithmia-datadog/metric-declaration';
import { decodeInsight } from '../../../src/decode/decode';
import { Translator } from '../../../src/translate/translate';
import { ENDPOINT_PATHS, endpointFor } from '../../../src/submit/wire-format';

const ROOT = join(__dirname, '..', '..', '..', '..');
const page = readFileSync(join(ROOT, 'docs', 'insights-message.md'), 'utf8');

/** docs/insights-message.md's message, through decode and translate as the forwarder runs them. */
describe('the Insights message of docs/insights-message.md', () => {
  const message = /```json\n([\s\S]*?)\n```/.exec(page)![1];
  const decoded = decodeInsight(Buffer.from(message), 0);
  if (!decoded.ok) throw new Error(`the documented message does not decode: ${decoded.detail}`);
  const timestamp = Number(/each at `(\d+)`/.exec(page)![1]);
  const translator = new Translator({
    catalog: loadMetricDeclaration(join(ROOT, 'config', 'metrics.json')),
    staticTags: ['env:prod'],
    maxSeries: FORWARDER_SETTINGS.maxSeries.default,
    nowSeconds: () => timestamp + 5,
  });
  const { points, dropped } = translator.translate(decoded.insight);

  it('becomes the points of its table, at the time and with the tags it says', () => {
    const rows = [...page.matchAll(/^\| `(algorithmia\.\w+)` \| (\S+) \| `([^`]+)`/gm)].map(([, metric, value, path]) => ({
      metric,
      value: Number(value),
      path,
    }));
    expect(rows).toHaveLength(4);
    expect(
      points.map((point) => ({ metric: point.series.metric, value: point.value, path: ENDPOINT_PATHS[endpointFor(point.series.kind)] })),
    ).toEqual(rows);
    const tags = [
      ...page
        .slice(page.indexOf('tagged '))
        .split('. Not sent')[0]
        .matchAll(/`([a-z_]+:[^`]+)`/g),
    ].map((match) => match[1]);
    for (const point of points) {
      expect(point.timestamp).toBe(timestamp);
      expect([...point.series.tags].sort()).toEqual([...tags].sort());
    }
  });

  it('drops what the page says, for the reasons it gives', () => {
    const said = [...page.matchAll(/`\w+`\s+\(`(\w+)`\)/g)].map(([, reason]) => reason);
    expect(said).toEqual(['string_value', 'nested_object']);
    expect([...dropped].sort()).toEqual([...said].sort());
  });
});
