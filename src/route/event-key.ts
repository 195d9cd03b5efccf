/**
 * The idempotency key of an event: the same event reaching the router twice (a crash between the
 * outbox write and the send, a restart, a reconnect replay) maps to the same key, so each destination
 * gets it once. SOOP's own per-event uuid is used when the packet has one; broadcasts are keyed by
 * their number; anything else by this process's run id and the engine sequence number (SOOP never
 * resends such packets, so they cannot come back after a restart).
 */
import type { StreamerEvent } from '../core/events.js';

export function eventKey(event: StreamerEvent, runId: string): string {
  const e = event.event;
  switch (e.kind) {
    case 'live':
      return `live:${e.broadcastNo}`;
    case 'offline':
      return `offline:${e.broadcastNo}`;
    case 'donation':
    case 'subscription':
      if (e.uuid) return `uuid:${e.uuid}`;
      break;
    case 'mission':
      // A mission's packets may share one uuid: keep each pledge apart.
      if (e.uuid) return `mission:${e.uuid}:${e.missionType}:${e.userId ?? ''}:${e.count ?? ''}`;
      break;
    default:
      break;
  }
  return `run:${runId}:${event.seq}`;
}
