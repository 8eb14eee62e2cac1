/**
 * One worker thread that runs jobs in order, for the stages whose work need not be on the thread
 * that reads Kafka (decoding and translating records, encoding request bodies). If the thread
 * dies, what it held and everything after runs in this thread instead (`fallback`): a job is
 * never left unanswered because of it.
 *
 * The thread is started by the first job and stopped after `idleStopMs` without one: at a steady,
 * moderate rate the stages do their work in place (their callers decide), and a thread that is not
 * needed does not hold its V8 isolate (8-12 MB resident each).
 */
import { existsSync } from 'node:fs';
import { parentPort, Worker, type ResourceLimits, type Transferable } from 'node:worker_threads';

interface Envelope<J> {
  readonly id: number;
  readonly job: J;
}
type Answer<A> =
  { readonly id: number; readonly ok: true; readonly answer: A } | { readonly id: number; readonly ok: false; readonly error: string };

interface Pending<A> {
  /** Runs the job in this thread, if the worker dies before answering. */
  readonly fallback: () => Promise<A>;
  readonly resolve: (answer: A) => void;
  readonly reject: (error: Error) => void;
}

export interface JobWorkerOptions<J, A> {
  /** The compiled thread file, which calls `serveJobs`. */
  readonly file: string;
  readonly workerData: unknown;
  readonly resourceLimits: ResourceLimits;
  /** Runs a job in this thread: when the worker is gone. */
  readonly fallback: (job: J) => Promise<A>;
  /** Turns the worker's error message into the error a job rejects with. */
  readonly describeError?: (message: string) => string;
  /** The thread stops after this long without a job; the next job starts it again. @default IDLE_STOP_MS */
  readonly idleStopMs?: number;
}

export const IDLE_STOP_MS = 60_000;

export class JobWorker<J, A> {
  private worker: Worker | undefined;
  /** The thread died or was closed: every job runs in this thread from then on. */
  private gone = false;
  private readonly pending = new Map<number, Pending<A>>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private starts = 0;

  constructor(private readonly options: JobWorkerOptions<J, A>) {}

  /** Threads started so far (one per busy spell). */
  get threadsStarted(): number {
    return this.starts;
  }

  /** A thread is running now. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Jobs handed to the thread and not answered yet. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** True when the compiled thread file is there (the built forwarder, not the TypeScript sources). */
  static available(file: string): boolean {
    return existsSync(file);
  }

  run(job: J): Promise<A> {
    if (this.gone) return this.options.fallback(job);
    clearTimeout(this.idleTimer);
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { fallback: () => this.options.fallback(job), resolve, reject });
      // Referenced while it holds work, so the process waits for the answer.
      if (this.pending.size === 1) worker.ref();
      const envelope: Envelope<J> = { id, job };
      // Copied, not moved: should the worker die, the job runs here from this copy.
      worker.postMessage(envelope);
    });
  }

  async close(): Promise<void> {
    this.gone = true;
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    if (worker === undefined) return;
    this.abandon(worker);
    await worker.terminate();
  }

  private start(): Worker {
    const worker = new Worker(this.options.file, { workerData: this.options.workerData, resourceLimits: this.options.resourceLimits });
    worker.on('message', (answer: Answer<A>) => this.answered(answer));
    worker.on('error', () => this.abandon(worker));
    worker.on('exit', () => this.abandon(worker));
    worker.unref();
    this.starts++;
    return worker;
  }

  /** Nothing to do for a while: the thread goes, without counting as dead (no job is pending). */
  private stopIdle(): void {
    const worker = this.worker;
    if (worker === undefined || this.pending.size > 0) return;
    this.worker = undefined;
    void worker.terminate();
  }

  private answered(answer: Answer<A>): void {
    const pending = this.pending.get(answer.id);
    if (pending === undefined) return;
    this.pending.delete(answer.id);
    if (this.pending.size === 0) {
      this.worker?.unref();
      this.idleTimer = setTimeout(() => this.stopIdle(), this.options.idleStopMs ?? IDLE_STOP_MS);
      this.idleTimer.unref();
    }
    if (answer.ok) pending.resolve(answer.answer);
    else pending.reject(new Error(this.options.describeError?.(answer.error) ?? answer.error));
  }

  /** The worker is gone: its jobs run here, and so does everything after. */
  private abandon(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.gone = true;
    const jobs = [...this.pending.values()];
    this.pending.clear();
    for (const { fallback, resolve, reject } of jobs) fallback().then(resolve, reject);
  }
}

/** The thread's side: answers each job with `handle`, moving the buffers it names. */
export function serveJobs<J, A>(handle: (job: J) => { answer: A; transfer?: Transferable[] }): void {
  parentPort?.on('message', ({ id, job }: Envelope<J>) => {
    let reply: Answer<A>;
    let transfer: Transferable[] = [];
    try {
      const handled = handle(job);
      reply = { id, ok: true, answer: handled.answer };
      transfer = handled.transfer ?? [];
    } catch (error) {
      reply = { id, ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    parentPort?.postMessage(reply, transfer);
  });
}
