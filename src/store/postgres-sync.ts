/**
 * A synchronous PostgreSQL connection: a "sync RPC" to a worker thread that owns a pg.Client.
 * Each call posts one request on a MessagePort, then blocks this thread in Atomics.wait until the
 * worker bumps a shared counter, and takes the answer with receiveMessageOnPort. One call is one
 * round trip to the worker (and through it to PostgreSQL), however many statements it carries.
 */
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { PgFailure, PgQuery, PgRequest, PgResponse, PgResult, PgWorkerData } from './postgres-protocol.js';
import { PG_WORKER_SOURCE } from './postgres-worker.js';

/** An error PostgreSQL (or the connection to it) reported; `code` is the SQLSTATE when there is one. */
export class PgError extends Error {
  readonly code: string | undefined;

  constructor(failure: PgFailure) {
    super(failure.message);
    this.name = 'PgError';
    this.code = failure.code;
  }
}

type RequestBody = PgRequest extends infer R ? (R extends PgRequest ? Omit<R, 'id'> : never) : never;

/** One worker thread and the way to call it synchronously. */
class WorkerLink {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly answered: Int32Array;
  private nextId = 1;
  /** False once a call timed out: an answer may still come, so the worker is not trusted again. */
  healthy = true;

  constructor() {
    const channel = new MessageChannel();
    const signal = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    this.port = channel.port1;
    this.answered = new Int32Array(signal);
    const data: PgWorkerData = { port: channel.port2, signal, pgPath: createRequire(import.meta.url).resolve('pg') };
    // Plain JavaScript with no loader of the parent's (see postgres-worker.ts why).
    this.worker = new Worker(PG_WORKER_SOURCE, { eval: true, execArgv: [], workerData: data, transferList: [channel.port2] });
    // A store that is never closed must not keep the process alive.
    this.worker.unref();
  }

  call(body: RequestBody, timeoutMs: number): PgResult[] {
    const id = this.nextId++;
    let seen = Atomics.load(this.answered, 0);
    this.port.postMessage({ ...body, id } as PgRequest);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const received = receiveMessageOnPort(this.port);
      if (received) {
        const response = received.message as PgResponse;
        if (response.id !== id) continue; // an answer to an earlier call (cannot happen while healthy)
        if (response.ok) return response.results;
        throw new PgError(response.error);
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        this.healthy = false;
        throw new Error(`PostgreSQL did not answer within ${timeoutMs} ms.`);
      }
      Atomics.wait(this.answered, 0, seen, left);
      seen = Atomics.load(this.answered, 0);
    }
  }

  terminate(): void {
    this.healthy = false;
    this.port.close();
    void this.worker.terminate();
  }
}

/**
 * Workers whose connection was closed cleanly, kept for the next connection: starting a worker and
 * loading pg costs ~100 ms, connecting a few. Only matters where stores come and go (tests, tools).
 */
const idleLinks: WorkerLink[] = [];
const MAX_IDLE_LINKS = 2;

function release(link: WorkerLink): void {
  if (link.healthy && idleLinks.length < MAX_IDLE_LINKS) idleLinks.push(link);
  else link.terminate();
}

export class SyncPgConnection {
  private readonly timeoutMs: number;
  private link: WorkerLink | undefined;
  private closedReason: string | undefined;

  /** Starts (or reuses) a worker and connects it; throws PgError when the server cannot be reached. */
  constructor(url: string, options: { readonly connectTimeoutMs: number; readonly callTimeoutMs: number }) {
    this.timeoutMs = options.callTimeoutMs;
    const link = idleLinks.pop() ?? new WorkerLink();
    try {
      link.call({ kind: 'connect', url, connectTimeoutMs: options.connectTimeoutMs }, options.connectTimeoutMs + this.timeoutMs);
    } catch (err) {
      release(link);
      throw err;
    }
    this.link = link;
  }

  /** Runs the statements one after the other on the one connection; fails at the first error. */
  query(queries: readonly PgQuery[]): PgResult[] {
    return this.call({ kind: 'query', queries });
  }

  close(): void {
    if (this.closedReason !== undefined) return;
    try {
      this.call({ kind: 'close' });
    } finally {
      this.closedReason = 'it was closed';
      if (this.link) release(this.link);
      this.link = undefined;
    }
  }

  private call(body: RequestBody): PgResult[] {
    const link = this.link;
    if (!link || this.closedReason !== undefined) throw new Error(`The PostgreSQL store cannot be used: ${this.closedReason ?? 'it is not connected'}.`);
    try {
      return link.call(body, this.timeoutMs);
    } finally {
      if (!link.healthy) {
        // The connection is in an unknown state (a statement may still be running): never reuse it.
        this.closedReason = `PostgreSQL did not answer within ${this.timeoutMs} ms`;
        link.terminate();
        this.link = undefined;
      }
    }
  }
}
