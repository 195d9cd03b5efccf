import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('npm run demo', () => {
  it('finishes by itself and prints at least one alert of each kind', async () => {
    const child = spawn('npm', ['run', '--silent', 'demo'], {
      env: { ...process.env, DEMO_SPEED: '15', LOG_LEVEL: 'warn', WATCH: '', DISCORD_TOKEN: '', TELEGRAM_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(err).not.toMatch(/Error|failed/i);
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    for (const label of ['[방송 시작]', '[채팅]', '[별풍선]', '[애드벌룬]', '[영상풍선]', '[구독]', '[미션]', '[방송 종료]']) {
      expect(lines.some((l) => l.startsWith(label)), `${label} in:\n${out}`).toBe(true);
    }
    // The restart with a new CHATNO is announced as a second broadcast.
    expect(lines.filter((l) => l.startsWith('[방송 시작]'))).toHaveLength(2);
  }, 60_000);
});
