#!/usr/bin/env node
/**
 * The `soop-alerts` command (package.json "bin"): `start` runs the bot (src/start.ts, as `npm start`
 * does); the tools `decode`, `tail`, `simulate` each live in src/cli/<name>.ts and export
 * `main(args: string[], context): Promise<number>`. src/cli/ may not import config.ts (lint), so
 * the context hands in a lazy config reader.
 */
import { configLocale, loadConfig, type Config } from './config.js';
import { ConfigError } from './core/errors.js';
import { say, startupText } from './i18n/index.js';

interface CliContext {
  /** Reads and validates the environment only when a command asks (decode needs none). */
  loadConfig(): Config;
}

/** The config, its problems phrased in the operator's language. */
function readConfig(): Config {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) throw new Error(say(configLocale(process.env), startupText.configInvalid, err.problems), { cause: err });
    throw err;
  }
}

const commands: Record<string, { summary: string; load: () => Promise<{ main: (args: string[], context: CliContext) => Promise<number> }> }> = {
  start: {
    summary: 'start [streamer…] [--demo]  run the bot (settings from the environment and .env)',
    load: async () => {
      const { runBotProcess } = await import('./start.js');
      return { main: (args) => runBotProcess(args) };
    },
  },
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
  process.exitCode = await mod.main(rest, { loadConfig: readConfig });
}
