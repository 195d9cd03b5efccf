/**
 * `decode [file]`: reads captured SOOP traffic (raw bytes, or JSON lines with a `hex` field per
 * websocket message) from a file or stdin and prints one JSON record per packet.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { describeError } from '../core/errors.js';
import { DecodeStream, type DecodeRecord } from '../soop/decode-stream.js';

const USAGE = 'Usage: soop-alerts decode [file]\n  Reads the file (or stdin) and prints one JSON object per packet.\n';

async function write(text: string): Promise<void> {
  if (text === '' || process.stdout.write(text)) return;
  await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
}

export async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.length > 1) {
    process.stderr.write(`decode takes at most one file, got ${args.length} arguments.\n${USAGE}`);
    return 2;
  }
  // `decode … | head` closes the pipe early: that is a normal way to stop, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const file = args[0];
  const input: Readable = file === undefined || file === '-' ? process.stdin : createReadStream(file);
  const source = file === undefined || file === '-' ? 'stdin' : `"${file}"`;

  let out = '';
  const stream = new DecodeStream((record: DecodeRecord) => {
    out += `${JSON.stringify(record)}\n`;
  });
  try {
    for await (const chunk of input) {
      stream.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
      await write(out);
      out = '';
    }
  } catch (err) {
    process.stderr.write(`decode: cannot read ${source}: ${describeError(err)}\n`);
    return 1;
  }
  stream.end();
  await write(out);
  return 0;
}
