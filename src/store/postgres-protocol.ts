/** Messages between the PostgreSQL store (main thread) and its worker thread (postgres-worker.ts, which is plain JavaScript). */
import type { MessagePort } from 'node:worker_threads';

export type SqlParam = string | number | boolean | null | readonly (string | number | null)[];

export interface PgQuery {
  readonly text: string;
  readonly values?: readonly SqlParam[];
}

export interface PgResult {
  readonly rows: Record<string, unknown>[];
  readonly rowCount: number;
}

/** What the worker needs to open a session, and to open it again after the connection was lost. */
export interface PgSessionSettings {
  readonly url: string;
  readonly connectTimeoutMs: number;
  /** Shown in pg_stat_activity.application_name. */
  readonly applicationName: string;
  /** Statements run on every new connection before anything else (e.g. `SET search_path`). */
  readonly sessionSetup: readonly PgQuery[];
}

/**
 * `connect` opens the session; `query` runs statements, first reconnecting when the connection was
 * lost between calls; `session` replaces the session setup and runs it now; `close` ends the session.
 */
export type PgRequest =
  | { readonly id: number; readonly kind: 'connect'; readonly settings: PgSessionSettings }
  | { readonly id: number; readonly kind: 'query'; readonly queries: readonly PgQuery[] }
  | { readonly id: number; readonly kind: 'session'; readonly queries: readonly PgQuery[] }
  | { readonly id: number; readonly kind: 'close' };

export interface PgFailure {
  readonly message: string;
  /** PostgreSQL's SQLSTATE (e.g. 23505 unique violation) or Node's error code (e.g. ECONNREFUSED). */
  readonly code: string | undefined;
}

export type PgResponse = { readonly id: number; readonly ok: true; readonly results: PgResult[] } | { readonly id: number; readonly ok: false; readonly error: PgFailure };

export interface PgWorkerData {
  readonly port: MessagePort;
  /** One Int32: how many answers have been posted. */
  readonly signal: SharedArrayBuffer;
  /** Where `pg` is, resolved from the store's module (the eval'd worker has no module location of its own). */
  readonly pgPath: string;
}
