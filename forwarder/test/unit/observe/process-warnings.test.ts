import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/observe/logger';
import { ProcessWarnings } from '../../../src/observe/process-warnings';

function warningFrom(name: string, message: string, stack: string, code?: string): Error {
  const warning = new Error(message);
  warning.name = name;
  warning.stack = `${name}: ${message}\n${stack}`;
  if (code !== undefined) (warning as NodeJS.ErrnoException).code = code;
  return warning;
}

const KAFKAJS_FRAME =
  '    at RequestQueue.scheduleCheckPendingRequests (/app/node_modules/kafkajs/src/network/requestQueue/index.js:317:37)';
const OWN_FRAME = '    at Batcher.flushLater (/app/forwarder/dist/batch/batcher.js:80:5)';

function capturingLogger(): { lines: Array<Record<string, unknown>>; logger: ReturnType<typeof createLogger> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger('info', sink) };
}

describe('ProcessWarnings', () => {
  it("drops kafkajs's negative request-queue timeout (kafkajs #1751) and keeps the same warning from anywhere else", () => {
    const written: string[] = [];
    const warnings = new ProcessWarnings((line) => written.push(line));
    warnings.handle(
      warningFrom('TimeoutNegativeWarning', '-1795643131518 is a negative number.\nTimeout duration was set to 1.', KAFKAJS_FRAME),
    );
    expect(written).toEqual([]);
    warnings.handle(warningFrom('TimeoutNegativeWarning', '-5 is a negative number.\nTimeout duration was set to 1.', OWN_FRAME));
    expect(written).toEqual(['warning: TimeoutNegativeWarning: -5 is a negative number. Timeout duration was set to 1.']);
  });

  it('writes one line per kind before the logger exists, then logs each new kind once as JSON', () => {
    const written: string[] = [];
    const warnings = new ProcessWarnings((line) => written.push(line));
    warnings.handle(warningFrom('DeprecationWarning', 'Buffer() is deprecated', OWN_FRAME, 'DEP0005'));
    warnings.handle(warningFrom('DeprecationWarning', 'Buffer() is deprecated', OWN_FRAME, 'DEP0005'));
    expect(written).toEqual(['warning: DeprecationWarning DEP0005: Buffer() is deprecated']);

    const { lines, logger } = capturingLogger();
    warnings.useLogger(logger);
    warnings.handle(warningFrom('DeprecationWarning', 'Buffer() is deprecated', OWN_FRAME, 'DEP0005'));
    warnings.handle(warningFrom('MaxListenersExceededWarning', 'Possible EventEmitter memory leak detected.', OWN_FRAME));
    warnings.handle(warningFrom('MaxListenersExceededWarning', 'Possible EventEmitter memory leak detected.', OWN_FRAME));
    expect(written).toHaveLength(1);
    expect(lines.map((line) => [line.level, line.warning, line.msg])).toEqual([
      [40, 'MaxListenersExceededWarning', 'MaxListenersExceededWarning: Possible EventEmitter memory leak detected. (logged once)'],
    ]);
  });

  it("replaces Node's own printer: a warning in a real process ends as one line on stderr", () => {
    const module = join(__dirname, '..', '..', '..', 'src', 'observe', 'process-warnings.ts');
    const script = `
      const { ProcessWarnings } = require(${JSON.stringify(module)});
      new ProcessWarnings((line) => process.stderr.write('forwarder: ' + line + '\\n')).install();
      process.emitWarning('something to know', 'ExperimentalWarning');
      process.emitWarning('something to know', 'ExperimentalWarning');`;
    const child = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], { encoding: 'utf8' });
    expect(child.status).toBe(0);
    expect(child.stderr).toBe('forwarder: warning: ExperimentalWarning: something to know\n');
  });
});
