/** Reads the real captured SOOP frames kept in test/fixtures/soop-real (origin: its README). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Buffer } from 'node:buffer';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const REAL_FIXTURES_DIR = path.join(repoRoot, 'test/fixtures/soop-real');
export const REAL_FRAMES_FILE = path.join(REAL_FIXTURES_DIR, 'frames.jsonl');
export const REAL_LIVE_INFO_DIR = path.join(REAL_FIXTURES_DIR, 'live-info');

export interface RealFrame {
  readonly lineNo: number;
  readonly code: string;
  readonly dir: 'in' | 'out';
  readonly trailer: string;
  readonly bytes: Buffer;
  readonly scrubbed: boolean;
  readonly expect: Readonly<Record<string, unknown>> & { readonly W: Readonly<Record<string, string>> };
}

interface FrameLine {
  code: string;
  dir: 'in' | 'out';
  trailer: string;
  hex: string;
  scrubbed_body?: boolean;
  expect: RealFrame['expect'];
}

export function loadRealFrames(): RealFrame[] {
  return readFileSync(REAL_FRAMES_FILE, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const d = JSON.parse(line) as FrameLine;
      return {
        lineNo: i + 1,
        code: d.code,
        dir: d.dir,
        trailer: d.trailer,
        bytes: Buffer.from(d.hex, 'hex'),
        scrubbed: d.scrubbed_body === true,
        expect: d.expect,
      };
    });
}
