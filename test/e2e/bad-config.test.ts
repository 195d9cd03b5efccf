import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('a bad configuration', () => {
  it('prints one message listing every problem and exits with code 2', () => {
    const root = new URL('../../', import.meta.url).pathname;
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', LOCALE: 'en', HTTP_PORT: 'abc', LOG_LEVEL: 'chatty', DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789ab' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^Invalid configuration:\n/);
    expect(result.stderr).toContain('  - HTTP_PORT must be a whole number from 0 to 65535 (got "abc")\n');
    expect(result.stderr).toContain('  - LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "chatty")\n');
    expect(result.stderr).not.toContain('at ');
    expect(result.stdout).toBe('');
  });
});
