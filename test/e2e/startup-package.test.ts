/**
 * The package as npm hands it over: the tracked sources are copied into a directory with no dist/,
 * `npm pack` runs `prepare` (the build) and packs what package.json "files" ships, and the tarball,
 * unpacked beside this checkout's node_modules, is run through its `soop-alerts` bin: `--help`,
 * `decode`, and `start` in console mode against the SOOP simulator, stopped by SIGTERM.
 */
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SoopSimulator } from '../../src/simulator/api.js';
import { starBalloonPacket } from '../../src/simulator/packets.js';
import { startSoopSimulator } from '../../src/simulator/server.js';
import { until } from './bot-node.js';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'soop-package-'));
const tree = join(work, 'tree');
const installed = join(work, 'installed');
let packed: string[] = [];
let bin = '';
let sim: SoopSimulator;

beforeAll(async () => {
  // What a clone holds for the build (no dist/, no node_modules: those come from npm).
  for (const path of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'README.md', 'LICENSE', '.env.example']) {
    cpSync(join(root, path), join(tree, path), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(tree, 'node_modules'), 'dir');
  expect(existsSync(join(tree, 'dist'))).toBe(false);
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: tree, maxBuffer: 16 * 1024 * 1024 });
  const [info] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  packed = info?.files.map((f) => f.path) ?? [];
  mkdirSync(installed);
  await run('tar', ['-xzf', join(work, info?.filename ?? ''), '-C', installed]);
  // npm install would put the dependencies here; this checkout's are the same lockfile's.
  symlinkSync(join(root, 'node_modules'), join(installed, 'package', 'node_modules'), 'dir');
  const manifest = JSON.parse(readFileSync(join(installed, 'package', 'package.json'), 'utf8')) as { bin: Record<string, string> };
  bin = join(installed, 'package', manifest.bin['soop-alerts'] ?? '');
  sim = await startSoopSimulator();
}, 240_000);
afterAll(async () => {
  await sim?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the packed soop-alerts package', () => {
  it('ships the built dist/ with the LICENSE and README, and neither tests nor sources', () => {
    expect(packed).toEqual(expect.arrayContaining(['package.json', 'LICENSE', 'README.md', '.env.example', 'dist/cli.js', 'dist/main.js', 'dist/start.js', 'dist/healthcheck.js']));
    expect(packed.filter((p) => p.startsWith('test/') || p.startsWith('src/') || p.endsWith('.ts') || p.endsWith('.map'))).toEqual([]);
    const license = readFileSync(join(installed, 'package', 'LICENSE'), 'utf8');
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) 2026 soop-alerts contributors\n/);
  });

  it('its bin is a node script whose help lists start and the tools', async () => {
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const { stdout, stderr } = await run(process.execPath, [bin, '--help'], { cwd: work });
    expect(stdout).toBe('');
    for (const command of ['start', 'decode', 'tail', 'simulate']) expect(stderr).toMatch(new RegExp(`^ {2}${command} `, 'm'));
  }, 30_000);

  it('decodes captured SOOP traffic', async () => {
    const { stdout } = await run(process.execPath, [bin, 'decode', join(root, 'test/fixtures/soop-real/frames.jsonl')], { cwd: work, maxBuffer: 16 * 1024 * 1024 });
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { code?: string });
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.some((l) => l.code === '0018')).toBe(true);
  }, 30_000);

  it('`soop-alerts start <streamer>` runs the bot: an alert is printed and SIGTERM exits 0 within 5 s', async () => {
    const room = sim.room('packagebj');
    room.goLive({ title: '패키지 테스트' });
    const child = spawn(process.execPath, [bin, 'start', 'packagebj'], {
      cwd: work,
      env: { PATH: process.env.PATH ?? '', SOOP_LIVE_INFO_URL: sim.liveInfoUrl, SOOP_CHAT_TRANSPORT: 'ws', HTTP_PORT: '0', DATABASE_PATH: join(work, 'bot.db'), LOCALE: 'en' },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await room.waitForJoined(1, 15_000);
    room.send(starBalloonPacket({ streamerId: 'packagebj', userId: 'pkgfan', nickname: '패키지팬', count: 12 }));
    await until(() => out.includes('패키지팬 (pkgfan) ×12'), 'the alert line', 10_000);
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(5000);
    expect(out).not.toMatch(/^\s+at /m);
  }, 40_000);
});
