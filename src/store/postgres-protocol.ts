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

export type PgRequest =
  | { readonly id: number; readonly kind: 'connect'; readonly url: string; readonly connectTimeoutMs: number }
  | { readonly id: number; readonly kind: 'query'; readonly queries: readonly PgQuery[] }
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
