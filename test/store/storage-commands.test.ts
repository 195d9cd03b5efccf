/** Commands issued while the database is away are answered with the storage sentence, in the caller's language. */
import { describe, expect, it } from 'vitest';
import type { CommandContext, CommandEffects } from '../../src/commands/ports.js';
import { CommandService } from '../../src/commands/service.js';
import { say, storageUnavailableReply } from '../../src/i18n/index.js';
import type { StorageFailureReason } from '../../src/store/errors.js';
import { createMemoryStore } from '../../src/store/memory.js';

const effects: CommandEffects = {
  subscriptionsChanged: () => undefined,
  canWatch: () => true,
  engineStatus: () => undefined,
  checkLiveInfo: () => Promise.resolve({ status: 'offline' }),
  sendTest: () => undefined,
};
const ko: CommandContext = { destination: { platform: 'telegram', id: '-100200' }, userId: 'u1', locale: 'ko' };
const en: CommandContext = { ...ko, locale: 'en' };

describe('commands while the database is away', () => {
  it('answer with a clear sentence in ko and en, and work again once it is back', async () => {
    let failing: StorageFailureReason | undefined = 'gone';
    const store = createMemoryStore({ failure: () => failing });
    const commands = new CommandService(store, effects, { perDestination: 5, perGuild: 10 });

    const koReply = await commands.watch(ko, { streamer: 'bj1' });
    const enReply = await commands.list(en);
    expect(koReply).toEqual({ ok: false, text: say('ko', storageUnavailableReply) });
    expect(enReply).toEqual({ ok: false, text: say('en', storageUnavailableReply) });
    expect(enReply.text).not.toMatch(/injected|Error|at /);

    failing = undefined;
    expect((await commands.watch(ko, { streamer: 'bj1' })).ok).toBe(true);
  });
});
