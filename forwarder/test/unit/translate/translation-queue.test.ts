import { FORWARDER_SETTINGS, parseMetricDeclaration } from '@algorithmia-datadog/metric-declaration';
import type { KafkaMessage } from 'kafkajs';
import { InThreadRecordTranslator } from '../../../src/translate/record-translator';
import { translatorSettings } from '../../../src/translate/records';
import { TranslationQueue, type TranslationSink } from '../../../src/translate/translation-queue';

const settings = translatorSettings(parseMetricDeclaration({}), [], false, FORWARDER_SETTINGS.maxSeries.default);

function records(values: (number | string)[]): KafkaMessage[] {
  const time = new Date().toISOString().replace('Z', '000');
  return values.map((v, offset) => ({
    key: null,
    value: Buffer.from(typeof v === 'number' ? JSON.stringify({ time, a: v, b: v * 10 }) : v),
    timestamp: String(Date.now()),
    attributes: 0,
    offset: String(offset),
    headers: {},
  }));
}

function recordingSink() {
  const events: string[] = [];
  const sink: TranslationSink = {
    point: (record, series, _timestamp, value) => events.push(`point ${record} ${series.metric} ${value}`),
    recordDone: () => events.push('done'),
    count: (record, series, timestamp, value) => events.push(`count ${record} ${series.metric} ${timestamp} ${value}`),
    invalid: (invalid) => events.push(`invalid ${invalid.index} ${invalid.reason}`),
    done: (answer) => events.push(`answer ${answer.points.length / 4}`),
  };
  return { events, sink };
}

describe('TranslationQueue', () => {
  it('delivers each answer in order, record by record, and counts what is in flight', async () => {
    let settled = 0;
    const queue = new TranslationQueue({ translator: new InThreadRecordTranslator(settings), onSettled: () => settled++, onFailed: fail });
    const { events, sink } = recordingSink();
    queue.add(records([1, 2]), sink);
    queue.add(records(['{}x', 3]), sink);
    expect([queue.messages, queue.expectedPoints, queue.bytes > 0]).toEqual([4, 4, true]);
    await queue.idle();
    expect(events).toEqual([
      'point 0 algorithmia.a 1',
      'point 0 algorithmia.b 10',
      'done',
      'point 1 algorithmia.a 2',
      'point 1 algorithmia.b 20',
      'done',
      'answer 4',
      'point 1 algorithmia.a 3',
      'point 1 algorithmia.b 30',
      'done',
      'invalid 0 not_json',
      'answer 2',
    ]);
    // Two points per record in the last answer (of two records): what the next records will likely add.
    expect([queue.messages, queue.bytes, settled]).toEqual([0, 0, 2]);
    queue.add(records([4, 5, 6]), recordingSink().sink);
    expect(queue.expectedPoints).toBe(3);
  });

  it('drops the answers of records read before a rebalance', async () => {
    const queue = new TranslationQueue({ translator: new InThreadRecordTranslator(settings), onSettled: () => undefined, onFailed: fail });
    const before = recordingSink();
    const after = recordingSink();
    queue.add(records([1]), before.sink);
    queue.newGeneration();
    queue.add(records([2]), after.sink);
    await queue.idle();
    expect(before.events).toEqual([]);
    expect(after.events).toEqual(['point 0 algorithmia.a 2', 'point 0 algorithmia.b 20', 'done', 'answer 2']);
  });

  it('reports a failed translation and settles', async () => {
    const failures: unknown[] = [];
    const broken = { translate: () => Promise.reject(new Error('thread gone')), close: async () => undefined };
    const queue = new TranslationQueue({ translator: broken, onSettled: () => undefined, onFailed: (error) => failures.push(error) });
    queue.add(records([1]), recordingSink().sink);
    await queue.idle();
    expect(failures).toEqual([new Error('thread gone')]);
    expect(queue.messages).toBe(0);
  });
});

describe('TranslationQueue with an inline translator for a handful of records', () => {
  it('sends few records inline and many to the other translator, and still delivers in order', async () => {
    const routed: string[] = [];
    /** The other translator answers late: the inline answers after it must wait for it. */
    let release: () => void = () => undefined;
    const late = new Promise<void>((resolve) => (release = resolve));
    const slow = new InThreadRecordTranslator(settings);
    const threaded = {
      translate: async (messages: readonly KafkaMessage[]) => {
        routed.push(`threaded ${messages.length}`);
        const answer = await slow.translate(messages);
        await late;
        return answer;
      },
      close: async () => undefined,
    };
    const quick = new InThreadRecordTranslator(settings);
    const inline = {
      translate: (messages: readonly KafkaMessage[]) => {
        routed.push(`inline ${messages.length}`);
        return quick.translate(messages);
      },
      close: async () => undefined,
    };
    const queue = new TranslationQueue({ translator: threaded, inline, inlineBelow: 3, onSettled: () => undefined, onFailed: fail });
    const { events, sink } = recordingSink();
    queue.add(records([1]), sink);
    queue.add(records([2, 3, 4]), sink);
    queue.add(records([5, 6]), sink);
    await new Promise((resolve) => setImmediate(resolve));
    expect(routed).toEqual(['inline 1', 'threaded 3', 'inline 2']);
    // The first answer is out; the third waits for the second.
    expect(events.filter((e) => e.startsWith('answer'))).toEqual(['answer 2']);
    release();
    await queue.idle();
    // Each translator numbers its own series; the values say which record each point came from.
    expect(events.filter((e) => e.startsWith('point')).map((e) => Number(e.split(' ')[3]))).toEqual([
      1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60,
    ]);
    expect(events.filter((e) => e.startsWith('answer'))).toEqual(['answer 2', 'answer 6', 'answer 4']);
  });

  it('delivers the execution counts after the points, one sum per series and interval, at the first record counted', async () => {
    const queue = new TranslationQueue({ translator: new InThreadRecordTranslator(settings), onSettled: () => {}, onFailed: fail });
    const { events, sink } = recordingSink();
    // A minute ago, at the start of a count interval: inside Datadog's window.
    const start = Math.floor(Date.now() / 10_000) * 10 - 60;
    const t = (second: number) => new Date((start + second) * 1000).toISOString().replace('Z', '000');
    const insight = (algorithm: string, second: number) => JSON.stringify({ algorithm_name: algorithm, time: t(second), a: 1 });
    const messages = [insight('x', 1), insight('y', 2), insight('x', 9), insight('x', 11)].map((value, offset) => ({
      key: null,
      value: Buffer.from(value),
      timestamp: String(Date.now()),
      attributes: 0,
      offset: String(offset),
      headers: {},
    }));
    queue.add(messages, sink);
    await queue.idle();
    expect(events.filter((event) => event.startsWith('count') || event.startsWith('answer'))).toEqual([
      `count 0 algorithmia.executions ${start} 2`,
      `count 1 algorithmia.executions ${start} 1`,
      `count 3 algorithmia.executions ${start + 10} 1`,
      'answer 4',
    ]);
  });
});

function fail(error: unknown): never {
  throw error;
}
