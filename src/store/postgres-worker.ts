/**
 * The worker thread behind the PostgreSQL store (see postgres.ts for why it exists): it owns one
 * pg.Client and answers one request at a time (postgres-protocol.ts) on a MessagePort. After posting
 * each answer it bumps a shared counter and wakes the caller, blocked in Atomics.wait on that counter.
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

let client;
const prepared = new Map(); // statement text -> name: each statement is parsed once per connection
let lost; // a connection error reported after connect (server gone): every later query fails with it

function failure(err) {
  if (err instanceof Error) {
    const code = typeof err.code === 'string' ? err.code : undefined;
    // AggregateError (e.g. both ::1 and 127.0.0.1 refused) has an empty message of its own.
    const inner = err instanceof AggregateError ? err.errors.map((e) => (e instanceof Error ? e.message : String(e))).join('; ') : '';
    return { message: err.message || inner || err.name, code };
  }
  return { message: String(err), code: undefined };
}

function statementName(text) {
  let name = prepared.get(text);
  if (name === undefined) {
    name = 's' + String(prepared.size + 1);
    prepared.set(text, name);
  }
  return name;
}

async function handle(request) {
  switch (request.kind) {
    case 'connect': {
      const next = new pg.Client({ connectionString: request.url, connectionTimeoutMillis: request.connectTimeoutMs, types });
      next.on('error', (err) => {
        lost = failure(err);
      });
      await next.connect();
      client = next;
      return [];
    }
    case 'query': {
      if (lost) throw new Error('the connection to PostgreSQL was lost: ' + lost.message);
      if (!client) throw new Error('not connected to PostgreSQL');
      const results = [];
      for (const query of request.queries) {
        // Without values pg uses the simple protocol, which accepts several statements (migrations);
        // with values, a named prepared statement saves parsing and planning it again on each call.
        const result = query.values && query.values.length > 0
          ? await client.query({ name: statementName(query.text), text: query.text, values: query.values })
          : await client.query({ text: query.text, values: [] });
        results.push({ rows: result.rows, rowCount: result.rowCount ?? 0 });
      }
      return results;
    }
    case 'close': {
      const closing = client;
      client = undefined;
      if (closing) await closing.end().catch(() => undefined);
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
  handle(request).then(
    (results) => answer({ id: request.id, ok: true, results }),
    (err) => answer({ id: request.id, ok: false, error: failure(err) }),
  );
});
`;
