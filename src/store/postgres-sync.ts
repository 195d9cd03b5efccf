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

/** The code of the PgError thrown when a call got no answer in time (classified as a `timeout`). */
export const PG_CALL_TIMEOUT = 'SOOP_PG_TIMEOUT';

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
        throw new PgError({ message: `PostgreSQL did not answer within ${timeoutMs} ms.`, code: PG_CALL_TIMEOUT });
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

export interface SyncPgOptions {
  readonly connectTimeoutMs: number;
  /** How long one call may take (a reconnect included) before the worker is given up. */
  readonly callTimeoutMs: number;
  /** Shown in pg_stat_activity.application_name (default "soop-alerts"). */
  readonly applicationName?: string;
}

/**
 * One PostgreSQL session that survives a lost connection: when the server restarted or the
 * connection dropped, the call in flight fails (never retried: it may have committed) and the next
 * call reconnects first, running the session setup (setSessionSetup) again. While the server is
 * unreachable each call fails with "PostgreSQL is unreachable: …" and the next one tries again.
 * A call that times out gives its worker up (a statement may still be running on it); the next
 * call starts a new worker and connects it.
 */
export class SyncPgConnection {
  private readonly url: string;
  private readonly options: SyncPgOptions;
  private sessionSetup: readonly PgQuery[] = [];
  private link: WorkerLink | undefined;
  private closedReason: string | undefined;

  /** Starts (or reuses) a worker and connects it; throws PgError when the server cannot be reached. */
  constructor(url: string, options: SyncPgOptions) {
    this.url = url;
    this.options = options;
    this.link = this.connectedLink(options.connectTimeoutMs + options.callTimeoutMs);
  }

  /**
   * Statements that set the session up (e.g. `SET search_path`): run now, and again on each new
   * connection before its first request. Replaces the previous setup.
   */
  setSessionSetup(statements: readonly PgQuery[]): void {
    this.sessionSetup = [...statements];
    this.call({ kind: 'session', queries: this.sessionSetup });
  }

  /** Runs the statements one after the other on the one connection; fails at the first error. */
  query(queries: readonly PgQuery[]): PgResult[] {
    return this.call({ kind: 'query', queries });
  }

  close(): void {
    if (this.closedReason !== undefined) return;
    const link = this.link;
    this.closedReason = 'it was closed';
    this.link = undefined;
    if (!link) return;
    try {
      link.call({ kind: 'close' }, this.options.callTimeoutMs);
    } finally {
      release(link);
    }
  }

  private connectedLink(timeoutMs: number): WorkerLink {
    const { connectTimeoutMs, applicationName = 'soop-alerts' } = this.options;
    const link = idleLinks.pop() ?? new WorkerLink();
    try {
      link.call({ kind: 'connect', settings: { url: this.url, connectTimeoutMs, applicationName, sessionSetup: this.sessionSetup } }, timeoutMs);
    } catch (err) {
      release(link);
      throw err;
    }
    return link;
  }

  private call(body: RequestBody): PgResult[] {
    if (this.closedReason !== undefined) throw new Error(`The PostgreSQL store cannot be used: ${this.closedReason}.`);
    const started = Date.now();
    // After a timeout: a new worker, whose connecting counts against this call like a reconnect would.
    this.link ??= this.connectedLink(this.options.callTimeoutMs);
    const link = this.link;
    try {
      return link.call(body, Math.max(1, this.options.callTimeoutMs - (Date.now() - started)));
    } finally {
      if (!link.healthy) {
        // The connection is in an unknown state (a statement may still be running): never reuse it.
        link.terminate();
        this.link = undefined;
      }
    }
  }
}
