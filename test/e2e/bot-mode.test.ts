/**
 * The composition root in bot mode: `src/main.ts` with a Discord and a Telegram token, pointed at the
 * fake Discord, the fake Bot API and the fake SOOP server through the environment alone.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SoopSimulator } from '../../src/simulator/api.js';
import { starBalloonPacket } from '../../src/simulator/packets.js';
import { startSoopSimulator } from '../../src/simulator/server.js';
import { FakeDiscord } from '../fakes/discord.js';
import { startFakeTelegram, type FakeChat, type FakeTelegram, type FakeUser } from '../fakes/telegram.js';

const root = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'soop-botmode-'));
let sim: SoopSimulator;
let discord: FakeDiscord;
let telegram: FakeTelegram;

beforeAll(async () => {
  sim = await startSoopSimulator();
  discord = await FakeDiscord.start();
  telegram = await startFakeTelegram();
});
afterAll(async () => {
  await Promise.all([sim.close(), discord.close(), telegram.close()]);
  rmSync(dir, { recursive: true, force: true });
});

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('npm start with platform tokens', () => {
  it('serves Discord and Telegram commands, delivers a balloon to both, and stops cleanly', async () => {
    const guild = discord.createGuild({ channels: 2 });
    const channelId = guild.channelIds[1] as string;
    const room = sim.room('botmodebj');
    room.goLive({ title: '봇 모드' });

    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        DISCORD_TOKEN: discord.token,
        DISCORD_API_URL: discord.apiUrl,
        TELEGRAM_TOKEN: telegram.token,
        TELEGRAM_API_URL: telegram.apiRoot,
        SOOP_LIVE_INFO_URL: sim.liveInfoUrl,
        SOOP_CHAT_TRANSPORT: 'ws',
        DATABASE_PATH: join(dir, 'bot.db'),
        HTTP_PORT: '0',
        LOG_LEVEL: 'info',
      },
    });
    let logs = '';
    child.stdout.on('data', (c: Buffer) => (logs += c.toString()));
    child.stderr.on('data', (c: Buffer) => (logs += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await until(() => discord.commandPuts > 0 && telegram.commands.size > 0, 'both platforms to register commands', 20_000);

      const reply = await discord.interaction({ command: 'watch', guildId: guild.id, channelId, locale: 'en-US', options: { streamer: 'botmodebj' } });
      expect(reply.content).toContain('Now watching botmodebj');
      const owner: FakeUser = { id: 41, first_name: 'Owner', language_code: 'en' };
      const chat: FakeChat = { id: owner.id, type: 'private', first_name: 'Owner' };
      telegram.message(chat, owner, '/subscribe botmodebj');
      await until(() => telegram.sentTo(chat.id).some((m) => m.text.includes('botmodebj')), 'the /subscribe reply');

      await room.waitForJoined(1);
      room.send(starBalloonPacket({ streamerId: 'botmodebj', userId: 'fan9', nickname: '두플랫폼', count: 300 }));
      await until(() => discord.messagesIn(channelId).some((m) => JSON.stringify(m.body).includes('두플랫폼')), 'the Discord alert');
      await until(() => telegram.sentTo(chat.id).some((m) => m.text.includes('두플랫폼')), 'the Telegram alert');
      expect(room.connections).toBe(1); // two subscriptions, one engine, one socket
      expect(logs).not.toContain(discord.token);
      expect(logs).not.toContain(telegram.token);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 60_000);
});
