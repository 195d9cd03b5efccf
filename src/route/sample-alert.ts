/** A made-up alert for /test, rendered like a real one but clearly marked as a test. */
import { messagesFor } from '../i18n/index.js';
import type { Subscription } from '../store/types.js';
import type { Alert } from './alert.js';

export type SampleKind = 'star' | 'chat' | 'live';

export function sampleAlert(sub: Subscription, kind: SampleKind = 'star', at?: number): Alert {
  const words = messagesFor(sub.locale).sample;
  const meta = { streamerId: sub.streamerId, locale: sub.locale, test: true, ...(at !== undefined ? { at } : {}) };
  const nickname = words.nickname;
  switch (kind) {
    case 'chat':
      return {
        ...meta,
        kind: 'chat',
        loud: false,
        event: {
          kind: 'chat',
          code: '0005',
          message: sub.keywords[0] ?? words.chat,
          userId: 'test_viewer',
          nickname,
          roles: [],
          flags: { raw: '0|0', flag1: 0, flag2: 0, roles: [], subscriberTier: 0 },
          subscriptionMonths: null,
        },
      };
    case 'live':
      return {
        ...meta,
        kind: 'live',
        loud: sub.loudAbove !== undefined,
        ...(sub.loudAbove !== undefined && sub.mentionRoleId !== undefined ? { mentionRoleId: sub.mentionRoleId } : {}),
        event: { kind: 'live', broadcastNo: '0', title: words.title, streamerNickname: sub.streamerId },
      };
    case 'star': {
      // At the loud threshold when there is one, so /test shows the mention and the sound too.
      const count = Math.max(sub.minBalloons, sub.loudAbove ?? 10, 1);
      const loud = sub.loudAbove !== undefined && count >= sub.loudAbove;
      return {
        ...meta,
        kind: 'star',
        loud,
        ...(loud && sub.mentionRoleId !== undefined ? { mentionRoleId: sub.mentionRoleId } : {}),
        event: { kind: 'donation', code: '0018', type: 'star', userId: 'test_viewer', nickname, count, fanOrder: 0, newTopFan: false },
      };
    }
  }
}
