import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/store/memory.js';
import { describeStoreContract } from './contract.js';
import { subscriptionRequest } from '../../src/commands/subscription-request.js';

describeStoreContract('memory', () => createMemoryStore());

describe('memory store', () => {
  it('stamps createdAt from the injected clock', () => {
    const store = createMemoryStore({ clock: { now: () => 1_234 } });
    const sub = store.add(subscriptionRequest({ platform: 'console', id: 'stdout' }, 'streamer1', 'me', { events: ['star'] }));
    expect(sub.createdAt).toBe(1_234);
  });
});
