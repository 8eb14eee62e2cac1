/**
 * The bench's Datadog intake, seen from the driver: a child process (intake-server.ts) that
 * answers at once and verifies every point off the request path, reporting over IPC.
 *
 *   const intake = await BenchIntake.start();
 *   await intake.reset({ messages, baseMs, algorithms, versions });
 *   // point the measured process at intake.url with intake.apiKey
 *   const done = await intake.waitForAll(timeoutMs);   // done.complete, done.completedAtMs
 *   const final = await intake.settle();               // everything received is verified
 *
 * Its CPU time (the process, and the verifier thread on its own) is reported apart from the
 * measured process's.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { ProcSampler } from '../proc';
import type { ExpectedRun } from './point-ledger';
import type { DriverMessage, IntakeMessage, IntakeSummary } from './protocol';

export type { ExpectedRun } from './point-ledger';
export type { IntakeSummary } from './protocol';

export class BenchIntake {
  private readonly events = new EventEmitter();
  private latest: IntakeSummary | undefined;
  private lastChangeAt = Date.now();
  readonly sampler: ProcSampler;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly apiKey: string,
  ) {
    this.sampler = new ProcSampler(child.pid as number, 500);
    this.events.setMaxListeners(0);
    child.on('message', (message: IntakeMessage) => {
      if (message.type === 'progress' || message.type === 'settled' || message.type === 'ready') {
        this.latest = message.summary;
        this.lastChangeAt = Date.now();
      }
      this.events.emit(message.type, message);
    });
    child.once('exit', (code, signal) => this.events.emit('exit', code, signal));
  }

  static async start(apiKey = 'bench-api-key'): Promise<BenchIntake> {
    const child = fork(path.join(__dirname, 'intake-server.ts'), [], {
      // On the benched forwarder's Node too (BENCH_NODE): a Node with zstd reads zstd1 bodies
      // natively, where the harness's older Node would decode them in JavaScript (fzstd), at
      // several CPU seconds a run taken from the measured process's cores.
      execPath: process.env.BENCH_NODE || process.execPath,
      execArgv: ['--require', require.resolve('tsx/cjs')],
      env: { ...process.env, INTAKE_API_KEY: apiKey },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`bench intake exited (code ${code}) before listening`)));
      child.on('message', (message: IntakeMessage) => {
        if (message.type === 'listening') resolve(message.port);
      });
    });
    return new BenchIntake(child, port, apiKey);
  }

  /** Base URL, like https://api.datadoghq.com. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** Forgets the previous run; `expected` says which points the next one must deliver. */
  async reset(expected: ExpectedRun): Promise<void> {
    const ready = this.next('ready');
    this.send({ type: 'reset', expected });
    await ready;
  }

  /**
   * Resolves once every expected point was verified (complete), or, with complete false, at the
   * deadline or when nothing arrived for `stallMs`.
   */
  waitForAll(timeoutMs: number, stallMs = 60_000): Promise<IntakeSummary> {
    return new Promise((resolve) => {
      const started = Date.now();
      const finish = (): void => {
        clearInterval(timer);
        this.events.off('progress', check);
        this.events.off('exit', finish);
        resolve(this.summary());
      };
      const check = (): void => {
        if (this.latest?.complete) finish();
      };
      const timer = setInterval(() => {
        const now = Date.now();
        if (now - started >= timeoutMs || now - this.lastChangeAt >= stallMs) finish();
      }, 250);
      this.events.on('progress', check);
      this.events.once('exit', finish);
      check();
    });
  }

  /** Resolves once every body received so far is verified, with the final summary. */
  async settle(): Promise<IntakeSummary> {
    const settled = this.next('settled');
    this.send({ type: 'settle' });
    await settled;
    return this.summary();
  }

  summary(): IntakeSummary {
    if (!this.latest) throw new Error('the intake has reported nothing since its reset');
    return this.latest;
  }

  /** The intake process's CPU seconds so far (answering and verifying). */
  cpuSeconds(): number {
    return this.sampler.sample().cpuSeconds;
  }

  async close(): Promise<void> {
    this.sampler.stop();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }

  private send(message: DriverMessage): void {
    this.child.send(message);
  }

  private next(type: IntakeMessage['type']): Promise<IntakeMessage> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => {
        this.events.off(type, onMessage);
        reject(new Error(`bench intake exited (code ${code}) while waiting for "${type}"`));
      };
      const onMessage = (message: IntakeMessage): void => {
        this.events.off('exit', onExit);
        resolve(message);
      };
      this.events.once(type, onMessage);
      this.events.once('exit', onExit);
    });
  }
}
