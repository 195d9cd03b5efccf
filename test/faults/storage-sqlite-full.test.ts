/**
 * The SQLite file's disk fills up under a running bot process (src/main.ts, unchanged; the file on
 * a 4 MB tmpfs, filled by the test): the process stays up, /readyz answers 503 while writes fail
 * and 200 once space is freed, the outage is logged once, and all 30 donations (before, during and
 * after) are delivered exactly once. Needs root for the tmpfs (CI runs as root); skipped with a warning otherwise.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedRoom, SoopSimulator } from '../../src/simulator/api.js';
import { startSoopSimulator } from '../../src/simulator/server.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { subscriptionRequest } from '../../src/commands/subscription-request.js';
import { FakeDiscord } from '../fakes/discord.js';
import { startBotNode, until, type BotNode } from '../e2e/bot-node.js';
import { TaggedDonations, freePort, readyz, storageBotEnv } from './storage-harness.js';

const STREAMER = 'bjdiskfull';

function mountTmpfs(size: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'soop-full-e2e-'));
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' }).status === 0) return dir;
  rmSync(dir, { recursive: true, force: true });
  return undefined;
}

/** Writes a file until the file system is full; returns its path. */
function fillDisk(dir: string): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(16 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch {
    // ENOSPC
  } finally {
    closeSync(fd);
  }
  return path;
}

const disk = mountTmpfs('4m');
if (!disk) console.warn('storage-sqlite-full: cannot mount a tmpfs here (not root?); skipped');

describe.skipIf(!disk)('the SQLite disk fills up under a bot process', () => {
  let sim: SoopSimulator;
  let discord: FakeDiscord;
  let node: BotNode | undefined;

  beforeAll(async () => {
    sim = await startSoopSimulator();
    discord = await FakeDiscord.start({ shardCount: 1 });
  }, 60_000);

  afterAll(async () => {
    if (process.env.STORAGE_TEST_LOGS && node) writeFileSync(process.env.STORAGE_TEST_LOGS, node.logs);
    node?.child.kill('SIGKILL');
    await node?.exited;
    await Promise.all([sim?.close(), discord?.close()]);
    if (disk) {
      spawnSync('umount', [disk], { stdio: 'ignore' });
      rmSync(disk, { recursive: true, force: true });
    }
  });

  it('no crash; /readyz 503 while full, 200 once space is freed; one line per change; all 30 donations delivered once', async () => {
    const dir = disk as string;
    const path = join(dir, 'alerts.db');
    const guild = discord.createGuild({ channels: 1 });
    const channel = guild.channelIds[0] as string;
    const setup = openSqliteStore(path);
    setup.add(subscriptionRequest({ platform: 'discord', id: channel, guildId: guild.id }, STREAMER, 'test', { locale: 'en' }));
    setup.close();
    const room: SimulatedRoom = sim.room(STREAMER);
    room.joinBurst = 0;
    room.goLive();

    const port = await freePort();
    node = startBotNode('disk-full', {
      DATABASE_PATH: path,
      ...storageBotEnv(discord, sim, port),
    });
    const bot = node;
    let exitCode: number | null | undefined;
    void bot.exited.then((code) => (exitCode = code));
    const donations = new TaggedDonations(discord, channel, 'F');
    const waitForReady = async (want: number, ms: number): Promise<void> => {
      const deadline = Date.now() + ms;
      let status = await readyz(port);
      while (status !== want && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        status = await readyz(port);
      }
      expect(status).toBe(want);
    };

    await until(() => room.joinedClients === 1, 'the bot to join the room', 30_000, 100);
    await waitForReady(200, 20_000);
    const before = Array.from({ length: 10 }, () => donations.send(room, STREAMER));
    await until(() => donations.delivered(before), 'the donations before the disk filled', 20_000, 100);

    const filler = fillDisk(dir);
    // Donations while the disk is full: the outbox write fails (SQLITE_FULL), the process stays up
    // and the router holds them in memory until the database takes writes again.
    const during: string[] = [];
    for (let i = 0; i < 10; i++) {
      during.push(donations.send(room, STREAMER));
      await new Promise((r) => setTimeout(r, 100));
    }
    await waitForReady(503, 15_000);
    await new Promise((r) => setTimeout(r, 3000));
    expect(exitCode).toBeUndefined();
    expect(await readyz(port)).toBe(503);

    rmSync(filler);
    await waitForReady(200, 20_000);
    const after = Array.from({ length: 10 }, () => donations.send(room, STREAMER));
    await until(() => donations.delivered([...during, ...after]), 'the donations during and after the full disk', 30_000, 100);
    const counts = donations.counts();
    for (const tag of [...before, ...during, ...after]) expect(counts.get(tag)).toBe(1);

    expect(exitCode).toBeUndefined();
    const lines = (pattern: RegExp): number => bot.logs.split('\n').filter((l) => pattern.test(l)).length;
    expect(lines(/database unreachable/)).toBe(1);
    expect(lines(/database back/)).toBe(1);
    expect(bot.logs).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  }, 120_000);
});
