/**
 * A clone of the repository is all a newcomer has: no file may reach outside it (the steering
 * folder beside it, or an absolute path of the machine it was written on).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Spelled in pieces so that this file does not match itself.
const FORBIDDEN = [new RegExp(['\\.\\.', 'shared'].join('/')), new RegExp(['', 'work', ''].join('/'))];

function trackedTextFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' });
  return out
    .split('\n')
    .filter((f) => f !== '' && f !== 'package-lock.json' && !f.endsWith('.jsonl') && !f.startsWith('test/fixtures/soop-real/live-info/'));
}

describe('the repository is self-contained', () => {
  it('no file names the folder beside the repository or an absolute path outside it', () => {
    const offenders: string[] = [];
    for (const file of trackedTextFiles()) {
      let text: string;
      try {
        text = readFileSync(path.join(repoRoot, file), 'utf8');
      } catch {
        continue; // deleted in the working tree
      }
      text.split('\n').forEach((line, i) => {
        if (FORBIDDEN.some((re) => re.test(line))) offenders.push(`${file}:${i + 1}: ${line.trim().slice(0, 120)}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it('the real SOOP fixtures the suite reads are inside the repository', () => {
    const frames = readFileSync(path.join(repoRoot, 'test/fixtures/soop-real/frames.jsonl'), 'utf8').trim().split('\n');
    expect(frames).toHaveLength(186);
    expect(readFileSync(path.join(repoRoot, 'test/fixtures/soop-real/README.md'), 'utf8')).toMatch(/wzgrx\/pure_live/);
  });
});
