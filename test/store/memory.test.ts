import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/store/memory.js';
import { describeStoreContract } from './contract.js';

describeStoreContract('memory', () => createMemoryStore());

describe('memory store', () => {
  it('stamps createdAt from the injected clock', () => {
    const store = createMemoryStore({ clock: { now: () => 1_234 } });
    const sub = store.add({
      destination: { platform: 'console', id: 'stdout' },
      streamerId: 'streamer1',
      createdBy: 'me',
      events: ['star'],
      minBalloons: 0,
      loudAbove: undefined,
      mentionRoleId: undefined,
      keywords: [],
      excludeWords: [],
      onlyFromRoles: [],
      locale: 'ko',
    });
    expect(sub.createdAt).toBe(1_234);
  });
});
