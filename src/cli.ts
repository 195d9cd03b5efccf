#!/usr/bin/env node
/**
 * soop-alerts command-line tools: `decode`, `tail`, `simulate`.
 * Each command lives in src/cli/<name>.ts and exports `main(args: string[], context): Promise<number>`.
 * src/cli/ may not import config.ts (lint), so the context hands in a lazy config reader.
 */
import { loadConfig, type Config } from './config.js';

interface CliContext {
  /** Reads and validates the environment only when a command asks (decode needs none). */
  loadConfig(): Config;
}

const commands: Record<string, { summary: string; load: () => Promise<{ main: (args: string[], context: CliContext) => Promise<number> }> }> = {
  decode: { summary: 'decode [file]             decode captured SOOP traffic to JSON lines', load: () => import('./cli/decode.js') },
  tail: { summary: 'tail <streamer>           print a live chat as events until Ctrl-C', load: () => import('./cli/tail.js') },
  simulate: {
    summary: 'simulate [--port N] [--scenario NAME] [--replay FILE] [--streamer ID]   run the fake SOOP server',
    load: () => import('./cli/simulate.js'),
  },
};

function usage(): string {
  return `Usage: soop-alerts <command> [options]\n\nCommands:\n${Object.values(commands)
    .map((c) => `  ${c.summary}`)
    .join('\n')}\n`;
}

const [name, ...rest] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!command) {
  process.stderr.write(name && name !== '--help' && name !== 'help' ? `Unknown command "${name}".\n\n${usage()}` : usage());
  process.exitCode = name && name !== '--help' && name !== 'help' ? 2 : 0;
} else {
  const mod = await command.load();
  process.exitCode = await mod.main(rest, { loadConfig: () => loadConfig(process.env) });
}
