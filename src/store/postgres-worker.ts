/**
 * The worker thread behind the PostgreSQL store (see postgres.ts for why it exists): it owns one
 * pg.Client and answers one request at a time (postgres-protocol.ts) on a MessagePort. After posting
 * each answer it bumps a shared counter and wakes the caller, blocked in Atomics.wait on that counter.
 *
 * Lost connections (server restarted, backend terminated, TCP reset): the request in flight fails
 * and is never retried (it may have committed). The next request opens a new connection first and
 * runs the session setup on it (e.g. `SET search_path`); if that fails, the request fails with
 * "PostgreSQL is unreachable: …" and the one after tries again. A loss noticed between the requests
 * of one transaction fails the transaction's next request once, unless it is its ROLLBACK.
 *
 * Why plain JavaScript in a string: the caller blocks its thread while the worker starts, and a
 * TypeScript worker needs a loader (tsx under `npm start` and vitest) whose module hooks wait on
 * that blocked thread: a deadlock. An eval'd CommonJS worker needs no loader, behaves the same from
 * src/ and dist/, and loads `pg` from the path the caller resolved. Its behaviour is covered by the
 * store's contract tests against a real PostgreSQL.
 */
export const PG_WORKER_SOURCE = String.raw`
'use strict';
const { workerData } = require('node:worker_threads');
const pg = require(workerData.pgPath);
const port = workerData.port;
const answered = new Int32Array(workerData.signal);

// int8 (BIGINT, count(*)) arrives as a string by default; every int8 here (ids, ms timestamps,
// counts) stays far below 2^53, so plain numbers are exact. Scoped to this client, not global.
const INT8_OID = 20;
const types = {
  getTypeParser: (oid, format) => (oid === INT8_OID && format !== 'binary' ? Number : pg.types.getTypeParser(oid, format)),
};

let settings; // PgSessionSettings of the last 'connect' (session setup replaced by 'session')
let session; // { client, prepared, lost, transactionLost } for the current connection, if any
let busy = false; // a request is being handled (a loss now is that request's failure)

// A failure whose message and code are chosen here (failure() keeps both).
class WorkerFailure extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

function failure(err) {
  if (err instanceof Error) {
    const code = typeof err.code === 'string' ? err.code : undefined;
    // AggregateError (e.g. both ::1 and 127.0.0.1 refused) has an empty message of its own.
    const inner = err instanceof AggregateError ? err.errors.map((e) => (e instanceof Error ? e.message : String(e))).join('; ') : '';
    return { message: err.message || inner || err.name, code };
  }
  return { message: String(err), code: undefined };
}

const SOCKET_ERRORS = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTCONN']);
// 57P01 admin_shutdown (pg_terminate_backend, fast shutdown), 57P02 crash_shutdown, 57P03 cannot_connect_now.
const SHUTDOWN_CODES = new Set(['57P01', '57P02', '57P03']);

/** True when the error means the connection itself is gone (not that a statement failed on it). */
function isConnectionLoss(err) {
  const { message, code } = failure(err);
  if (code !== undefined && (code.startsWith('08') || SHUTDOWN_CODES.has(code) || SOCKET_ERRORS.has(code))) return true;
  return /Connection terminated|not queryable|connection error/i.test(message);
}

/** The first loss of a connection wins; a loss noticed between requests inside a transaction takes that transaction with it. */
function markLost(state, err, betweenRequests) {
  if (state.lost) return;
  state.lost = failure(err);
  const status = state.client.getTransactionStatus ? state.client.getTransactionStatus() : null;
  state.transactionLost = betweenRequests && (status === 'T' || status === 'E');
}

function statementName(state, text) {
  let name = state.prepared.get(text);
  if (name === undefined) {
    name = 's' + String(state.prepared.size + 1);
    state.prepared.set(text, name);
  }
  return name;
}

function run(state, query) {
  // Without values pg uses the simple protocol, which accepts several statements (migrations);
  // with values, a named prepared statement saves parsing and planning it again on each call.
  return query.values && query.values.length > 0
    ? state.client.query({ name: statementName(state, query.text), text: query.text, values: query.values })
    : state.client.query({ text: query.text, values: [] });
}

/** Runs the statements in order; a connection-level failure marks the session lost (the next request reconnects). */
async function runAll(state, queries) {
  const results = [];
  try {
    for (const query of queries) {
      const result = await run(state, query);
      results.push({ rows: result.rows, rowCount: result.rowCount ?? 0 });
    }
  } catch (err) {
    if (!state.lost && !isConnectionLoss(err)) throw err;
    markLost(state, err, false);
    // Never retried: the statements may have been executed, even committed, before the loss.
    throw new WorkerFailure('the connection to PostgreSQL was lost: ' + failure(err).message, failure(err).code);
  }
  return results;
}

function endQuietly(client) {
  client.end().catch(() => undefined);
}

/** A new connection with the session setup applied; throws "PostgreSQL is unreachable: …" when it cannot. */
async function openSession() {
  const client = new pg.Client({
    connectionString: settings.url,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    application_name: settings.applicationName,
    keepAlive: true,
    types,
  });
  const state = { client, prepared: new Map(), lost: undefined, transactionLost: false };
  client.on('error', (err) => markLost(state, err, !busy));
  client.on('end', () => markLost(state, new Error('Connection terminated'), !busy));
  try {
    await client.connect();
  } catch (err) {
    endQuietly(client);
    throw new WorkerFailure('PostgreSQL is unreachable: ' + failure(err).message, failure(err).code);
  }
  try {
    await runAll(state, settings.sessionSetup);
  } catch (err) {
    endQuietly(client);
    const { message, code } = failure(err);
    throw new WorkerFailure(state.lost ? 'PostgreSQL is unreachable: ' + message : 'the PostgreSQL session setup failed: ' + message, code);
  }
  return state;
}

function isRollback(queries) {
  return queries.length > 0 && /^\s*ROLLBACK\b/i.test(queries[0].text);
}

/**
 * The live session, reconnecting when the last one was lost before this request was sent (so none
 * of its statements reached the server). Returns whether it is new (its session setup just ran).
 */
async function ensureSession(queries) {
  if (!settings) throw new Error('not connected to PostgreSQL');
  if (session && !session.lost) return false;
  const gone = session;
  session = undefined;
  if (gone) {
    endQuietly(gone.client);
    // The rest of a transaction must not run on a new connection, outside the transaction it
    // belonged to: fail it once (the caller rolls back), as PostgreSQL would an aborted transaction.
    if (gone.transactionLost && !isRollback(queries)) {
      throw new WorkerFailure('the connection to PostgreSQL was lost during a transaction, which PostgreSQL rolled back: ' + gone.lost.message, gone.lost.code);
    }
  }
  session = await openSession();
  return true;
}

async function handle(request) {
  switch (request.kind) {
    case 'connect': {
      if (session) endQuietly(session.client);
      session = undefined;
      settings = request.settings;
      session = await openSession();
      return [];
    }
    case 'query': {
      await ensureSession(request.queries);
      return runAll(session, request.queries);
    }
    case 'session': {
      if (!settings) throw new Error('not connected to PostgreSQL');
      settings = { ...settings, sessionSetup: request.queries };
      if (await ensureSession(request.queries)) return [];
      return runAll(session, request.queries);
    }
    case 'close': {
      const closing = session;
      session = undefined;
      settings = undefined;
      if (closing) await closing.client.end().catch(() => undefined);
      return [];
    }
    default:
      throw new Error('unknown request ' + String(request.kind));
  }
}

function answer(response) {
  port.postMessage(response);
  Atomics.add(answered, 0, 1);
  Atomics.notify(answered, 0);
}

port.on('message', (request) => {
  busy = true;
  handle(request).then(
    (results) => {
      busy = false;
      answer({ id: request.id, ok: true, results });
    },
    (err) => {
      busy = false;
      answer({ id: request.id, ok: false, error: failure(err) });
    },
  );
});
`;
