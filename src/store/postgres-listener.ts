/**
 * LISTEN for the store's change notifications (see migration 2's triggers): subscription changes
 * by streamer and "new outbox rows". One asynchronous pg connection, reconnected with backoff when
 * it drops; after a reconnect `onResync` fires, because notifications sent meanwhile are lost.
 */
import pg from 'pg';
import { backoffDelay } from '../core/async.js';
import { describeError } from '../core/errors.js';

export const SUBSCRIPTIONS_CHANNEL = 'soop_alerts_subscriptions';
export const OUTBOX_CHANNEL = 'soop_alerts_outbox';
export const LEASES_CHANNEL = 'soop_alerts_leases';

export interface StoreChangeHandlers {
  /** A subscription of this streamer was added, changed or removed (on any node). */
  onSubscriptionChange(streamerId: string): void;
  /** Rows were added to the outbox (on any node). */
  onOutbox(): void;
  /** A node gave leases back or left: the new owners should take them now. */
  onLeasesReleased(): void;
  /** The connection was re-established: changes may have been missed, re-read everything. */
  onResync(): void;
  onError?(message: string): void;
}

export interface StoreListener {
  /** Resolves once the first LISTEN is in place (rejects if the first connection fails). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

export interface ListenerOptions {
  /** The schema whose tables are watched (default: the connection's current schema). */
  readonly schema?: string;
  readonly connectTimeoutMs?: number;
}

export function listenForStoreChanges(url: string, handlers: StoreChangeHandlers, options: ListenerOptions = {}): StoreListener {
  let client: pg.Client | undefined;
  let closed = false;
  let attempt = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let schema = options.schema;

  const onNotification = (message: pg.Notification): void => {
    const payload = message.payload ?? '';
    const colon = payload.indexOf(':');
    const from = colon < 0 ? payload : payload.slice(0, colon);
    if (from !== schema) return; // another schema in the same database
    if (message.channel === SUBSCRIPTIONS_CHANNEL) handlers.onSubscriptionChange(payload.slice(colon + 1));
    else if (message.channel === OUTBOX_CHANNEL) handlers.onOutbox();
    else if (message.channel === LEASES_CHANNEL) handlers.onLeasesReleased();
  };

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000 });
    next.on('error', (err) => lost(next, err));
    next.on('end', () => lost(next, new Error('the connection ended')));
    next.on('notification', onNotification);
    await next.connect();
    if (schema === undefined) schema = String((await next.query('SELECT current_schema() AS s')).rows[0]?.s);
    await next.query(`LISTEN ${SUBSCRIPTIONS_CHANNEL}`);
    await next.query(`LISTEN ${OUTBOX_CHANNEL}`);
    await next.query(`LISTEN ${LEASES_CHANNEL}`);
    if (closed) {
      await next.end();
      return;
    }
    client = next;
  }

  function lost(which: pg.Client, err: unknown): void {
    if (closed || client !== which) return;
    client = undefined;
    which.removeAllListeners('notification');
    void which.end().catch(() => undefined);
    handlers.onError?.(`lost the PostgreSQL notification connection: ${describeError(err)}`);
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect().then(
        () => {
          attempt = 0;
          if (!closed) handlers.onResync();
        },
        (err: unknown) => {
          // Said once: the loss was reported already, and the database being away is logged by the store's monitor.
          if (attempt === 0) handlers.onError?.(`cannot reconnect for PostgreSQL notifications yet (retrying with backoff): ${describeError(err)}`);
          attempt++;
          scheduleReconnect();
        },
      );
    }, backoffDelay(attempt, 500, 10_000));
  }

  const ready = connect();
  ready.catch(() => undefined);

  return {
    ready,
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}
