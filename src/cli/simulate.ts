/**
 * `simulate [--port N] [--scenario NAME] [--replay FILE] [--streamer ID] [--speed X]`: runs the fake
 * SOOP server on 127.0.0.1, prints what to point the bot at, and plays a scenario (default `live`)
 * or a capture until Ctrl-C / SIGTERM.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { describeError } from '../core/errors.js';
import { parseReplay, startReplay } from '../simulator/replay.js';
import { isScenarioName, runScenario, scenarioNames } from '../simulator/scenarios.js';
import { startSoopSimulator } from '../simulator/server.js';

const USAGE = `Usage: soop-alerts simulate [--port N] [--scenario NAME] [--replay FILE] [--streamer ID] [--speed X]
  --port N         listen on 127.0.0.1:N (default: a free port the system picks)
  --scenario NAME  ${scenarioNames.join(' | ')} (default: live; none with --replay)
  --replay FILE    JSON lines with a "hex" field, one websocket message each ("dir":"out" lines skipped),
                   played from the start to every client that joins
  --streamer ID    the simulated streamer id (default: simbj01)
  --speed X        divides scenario and replay delays (default: 1)
`;

export interface SimulateOptions {
  readonly signal: AbortSignal;
  readonly write: (text: string) => void;
  /** Where error messages go (default: stderr). */
  readonly writeError?: (text: string) => void;
}

/** The command body, with the stop signal and output injected (tests use it directly). */
export async function runSimulate(args: string[], io: SimulateOptions): Promise<number> {
  const fail = io.writeError ?? ((text: string) => void process.stderr.write(text));
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        scenario: { type: 'string' },
        replay: { type: 'string' },
        streamer: { type: 'string' },
        speed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    fail(`simulate: ${describeError(err)}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.write(USAGE);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    fail(`simulate: --port must be a number from 0 to 65535, got "${values.port}".\n`);
    return 2;
  }
  const speed = values.speed === undefined ? 1 : Number(values.speed);
  if (!(speed > 0)) {
    fail(`simulate: --speed must be a positive number, got "${values.speed}".\n`);
    return 2;
  }
  const scenario = values.scenario ?? (values.replay === undefined ? 'live' : undefined);
  if (scenario !== undefined && !isScenarioName(scenario)) {
    fail(`simulate: unknown scenario "${scenario}". Known: ${scenarioNames.join(', ')}.\n`);
    return 2;
  }
  const streamerId = values.streamer ?? 'simbj01';

  let replay;
  if (values.replay !== undefined) {
    try {
      replay = parseReplay(await readFile(values.replay, 'utf8'), { speed });
    } catch (err) {
      fail(`simulate: cannot use replay file "${values.replay}": ${describeError(err)}\n`);
      return 1;
    }
  }

  let simulator;
  try {
    simulator = await startSoopSimulator({ port });
  } catch (err) {
    fail(`simulate: cannot listen on 127.0.0.1:${port}: ${describeError(err)}\n`);
    return 1;
  }
  const room = simulator.room(streamerId);
  io.write(
    `SOOP simulator listening on 127.0.0.1:${simulator.port}\n` +
      `SOOP_LIVE_INFO_URL=${simulator.liveInfoUrl}\n` +
      `streamer: ${streamerId}\n` +
      `chat: plain ws on ws://127.0.0.1:${simulator.port}/Websocket/${streamerId} (configure the client for ws, not wss)\n` +
      `${scenario ? `scenario: ${scenario}` : 'scenario: none'}${replay ? `, replaying ${replay.length} messages to each client that joins` : ''}\n` +
      'Ctrl-C to stop.\n',
  );

  try {
    if (replay) {
      room.goLive({ title: '리플레이 방송' });
      startReplay(room, replay, io.signal);
    }
    if (scenario) {
      await runScenario(room, scenario, { signal: io.signal, speed, onStep: (step) => io.write(`  ${step}\n`) });
      if (!io.signal.aborted) io.write(`scenario "${scenario}" finished; the server stays up until Ctrl-C.\n`);
    }
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      else io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    return 0;
  } catch (err) {
    fail(`simulate: ${describeError(err)}\n`);
    return 1;
  } finally {
    await simulator.close();
  }
}

export async function main(args: string[]): Promise<number> {
  const controller = new AbortController();
  const stop = (): void => controller.abort(new Error('stopped by signal'));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await runSimulate(args, { signal: controller.signal, write: (text) => void process.stdout.write(text) });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
