import type { StreamerEvent } from '../../src/core/events.js';

/** Donation number `i` of the crash test (same uuid whenever it is produced). */
export function crashEvent(i: number, seq = i): StreamerEvent {
  return {
    streamerId: 'crashbj',
    broadcastNo: '777',
    seq,
    receivedAt: 0,
    event: { kind: 'donation', code: '0018', type: 'star', userId: `fan${i}`, nickname: `팬${i}`, count: i * 10, fanOrder: 0, newTopFan: false, uuid: `uuid-${i}` },
  };
}
