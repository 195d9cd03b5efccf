/**
 * Start-up as an operator meets it: `src/main.ts` as a child process with a rejected token, with a
 * platform that cannot be reached, and with a configuration holding a pasted secret. Each ends in
 * one sentence and an exit code, within 5 s of the cause (the token refused, or SIGTERM/SIGINT
 * during the start-up retries), and never prints a stack trace or an unhandled rejection: the
 * output of every scenario is checked for both, so the last-resort handler in src/start.ts is
 * proven unused here, not merely present.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say, startupText } from '../../src/i18n/index.js';
import { FakeDiscord } from '../fakes/discord.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram.js';
import { startBotNode, until, type BotNode } from './bot-node.js';

const root = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'soop-startup-'));
let discord: FakeDiscord;
let telegram: FakeTelegram;
let db = 0;

beforeAll(async () => {
  [discord, telegram] = await Promise.all([FakeDiscord.start(), startFakeTelegram()]);
});
afterAll(async () => {
  await Promise.all([discord.close(), telegram.close()]);
  rmSync(dir, { recursive: true, force: true });
});

/** A local port nobody listens on: connections to it are refused at once. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The bot with only `env` (plus a fresh database and no HTTP endpoint); its stderr kept apart. */
function startBot(env: Readonly<Record<string, string>>): { node: BotNode; stderr: () => string; startedAt: number } {
  const node = startBotNode('startup', { DATABASE_PATH: join(dir, `bot-${++db}.db`), HTTP_PORT: '0', LOG_LEVEL: 'info', ...env });
  let stderr = '';
  node.child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return { node, stderr: () => stderr, startedAt: Date.now() };
}

/** Nothing a person should never see: no stack frame, no unhandled rejection (in either language). */
function expectNoStackOrRejection(output: string): void {
  expect(output).not.toMatch(/^\s+at /m);
  expect(output).not.toMatch(/unhandled|uncaught|UnhandledPromiseRejection|처리되지 않은/i);
  expect(output).not.toContain(say('en', startupText.unhandledRejection, '').trim());
  expect(output).not.toContain(say('ko', startupText.unhandledRejection, '').trim());
}

/** When the bot reached the point where it starts its platforms (after loading its modules). */
async function startingAt(node: BotNode): Promise<number> {
  await until(() => /"msg":"(bot mode|봇 모드)/.test(node.logs), 'the bot-mode line', 20_000, 10);
  return Date.now();
}

describe('a rejected platform token', () => {
  it('Discord: one sentence naming DISCORD_TOKEN, exit 1 within 5 s, no stack, token not shown', async () => {
    const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.wrongwrongwrongwrongwrongwrong12';
    const bot = startBot({ DISCORD_TOKEN: token, DISCORD_API_URL: discord.apiUrl, LOCALE: 'en' });
    const starting = await startingAt(bot.node);
    const code = await bot.node.exited;
    const ms = Date.now() - starting;
    expect(code).toBe(1);
    expect(ms).toBeLessThan(5000);
    expect(bot.stderr()).toBe(`${say('en', startupText.startFailed, say('en', startupText.discordTokenRejected))}\n`);
    expect(bot.node.logs).not.toContain(token);
    expectNoStackOrRejection(bot.node.logs);
  }, 30_000);

  it('Telegram: one sentence naming TELEGRAM_TOKEN (in Korean by default), exit 1 within 5 s, no stack', async () => {
    const token = '42424242:WRONG-secret-token-aaaaaaaaaaaaaaaa';
    const bot = startBot({ TELEGRAM_TOKEN: token, TELEGRAM_API_URL: telegram.apiRoot });
    const starting = await startingAt(bot.node);
    const code = await bot.node.exited;
    expect(code).toBe(1);
    expect(Date.now() - starting).toBeLessThan(5000);
    expect(bot.stderr()).toBe(`${say('ko', startupText.startFailed, say('ko', startupText.telegramTokenRejected, 401))}\n`);
    expect(bot.stderr()).toContain('TELEGRAM_TOKEN');
    expect(bot.node.logs).not.toContain('WRONG-secret');
    expectNoStackOrRejection(bot.node.logs);
  }, 30_000);
});

describe('a platform that cannot be reached', () => {
  it('Discord: retries, says so once (not per attempt), and SIGTERM during the retries exits 0 within 5 s', async () => {
    const port = await closedPort();
    const bot = startBot({ DISCORD_TOKEN: discord.token, DISCORD_API_URL: `http://127.0.0.1:${port}/api`, LOCALE: 'en' });
    await startingAt(bot.node);
    await until(() => bot.node.logs.includes('Discord is unreachable'), 'the unreachable line', 10_000);
    // Backoff starts at 0.5–1 s and doubles: several attempts fit in 4 s.
    await new Promise((r) => setTimeout(r, 4000));
    expect(bot.node.logs.match(/Discord is unreachable/g)).toHaveLength(1);
    expect(bot.node.logs).toMatch(/Discord is unreachable \(http:\/\/127\.0\.0\.1:\d+\/api: [^)]*ECONNREFUSED/);
    expect(bot.node.child.exitCode).toBeNull();

    const signalledAt = Date.now();
    bot.node.child.kill('SIGTERM');
    expect(await bot.node.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(5000);
    expect(bot.node.logs).toContain(say('en', startupText.stopped));
    expectNoStackOrRejection(bot.node.logs);
  }, 40_000);

  it('Telegram: retries, says so once, and SIGINT during the retries exits 0 within 5 s', async () => {
    const port = await closedPort();
    const bot = startBot({ TELEGRAM_TOKEN: telegram.token, TELEGRAM_API_URL: `http://127.0.0.1:${port}`, LOCALE: 'en' });
    await startingAt(bot.node);
    await until(() => bot.node.logs.includes('Telegram is unreachable'), 'the unreachable line', 10_000);
    await new Promise((r) => setTimeout(r, 3000));
    expect(bot.node.logs.match(/Telegram is unreachable/g)).toHaveLength(1);
    expect(bot.node.logs).not.toContain(telegram.token);

    const signalledAt = Date.now();
    bot.node.child.kill('SIGINT');
    expect(await bot.node.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(5000);
    expectNoStackOrRejection(bot.node.logs);
  }, 40_000);

  it('SIGTERM while Discord and Telegram are both being retried, with the HTTP endpoint open, exits 0 within 5 s', async () => {
    const port = await closedPort();
    const httpPort = await closedPort();
    const bot = startBot({
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: `http://127.0.0.1:${port}/api`,
      TELEGRAM_TOKEN: telegram.token,
      TELEGRAM_API_URL: `http://127.0.0.1:${port}`,
      HTTP_PORT: String(httpPort),
    });
    await startingAt(bot.node);
    await until(() => bot.node.logs.includes('Discord에 연결할 수 없습니다'), 'the unreachable line', 10_000);
    const ready = await fetch(`http://127.0.0.1:${httpPort}/readyz`);
    expect(ready.status).toBe(503);
    const signalledAt = Date.now();
    bot.node.child.kill('SIGTERM');
    expect(await bot.node.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(5000);
    expectNoStackOrRejection(bot.node.logs);
  }, 40_000);
});

describe('a configuration error', () => {
  it('masks a token pasted into a URL variable and a URL password, and says it in the LANG language', () => {
    const discordToken = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789ab';
    const telegramToken = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        LANG: 'en_US.UTF-8',
        DISCORD_API_URL: discordToken,
        TELEGRAM_API_URL: `ftp://bot:hunter2-very-secret@api.example.test/bot${telegramToken}`,
        SOOP_LIVE_INFO_URL: `not a url ${telegramToken}`,
      },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^Invalid configuration:\n/);
    expect(result.stderr).toContain('  - DISCORD_API_URL must be an http(s) URL (got "***")\n');
    expect(result.stderr).toMatch(/ {2}- TELEGRAM_API_URL must be an http\(s\) URL \(got "ftp:\/\/bot:\*\*\*@api\.example\.test\/\*\*\*"\)\n/);
    expect(result.stderr).toContain('  - SOOP_LIVE_INFO_URL must be an http(s) URL (got "not a url ***")\n');
    for (const secret of [discordToken, telegramToken, 'hunter2', 'AAHdqTcv']) expect(result.stderr).not.toContain(secret);
    expectNoStackOrRejection(result.stderr);
    expect(result.stdout).toBe('');
  });

  it('is in Korean without LANG, and LOCALE overrides LANG', () => {
    const env = { PATH: process.env.PATH ?? '', HTTP_PORT: 'abc' };
    const korean = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env, encoding: 'utf8', timeout: 20_000 });
    expect(korean.status).toBe(2);
    expect(korean.stderr).toBe(`${say('ko', startupText.configInvalid, [say('ko', startupText.wholeNumber, 'HTTP_PORT', 0, 65535, 'abc')])}\n`);
    const english = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env: { ...env, LANG: 'ko_KR.UTF-8', LOCALE: 'en' }, encoding: 'utf8', timeout: 20_000 });
    expect(english.stderr).toBe('Invalid configuration:\n  - HTTP_PORT must be a whole number from 0 to 65535 (got "abc")\n');
  });
});
