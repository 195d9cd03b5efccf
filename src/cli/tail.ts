/**
 * `tail <streamer>`: connects to a streamer's live chat with the real client and prints one line
 * per event until Ctrl-C. Events go to stdout, connection states to stderr. Settings come from the
 * config (SOOP_LIVE_INFO_URL, SOOP_CHAT_TRANSPORT, ...) that src/cli.ts hands in; flags override.
 */
import type { SoopEvent } from '../core/events.js';
import { InputError, describeError } from '../core/errors.js';
import { parseStreamerId } from '../core/ids.js';
import type { ChatSourceState } from '../core/chat-source.js';
import { problemText } from '../i18n/index.js';
import { createSoopChatClient, type ChatTransport } from '../soop/client.js';
import { createLiveInfoFetcher } from '../soop/live-info.js';
import { DEFAULT_SOOP_LIVE_INFO_URL, configureSoopPlayerUrl } from '../core/soop-hosts.js';
import { translatePacket } from '../soop/translate.js';

const USAGE = `Usage: soop-alerts tail <streamer> [options]
  Prints the streamer's live chat, one event per line, until Ctrl-C (states go to stderr).
Options:
  --json                 one JSON object per event instead of text
  --membership           also print user join/leave/meta events (very many)
  --live-info-url URL    live-info endpoint (default: SOOP_LIVE_INFO_URL)
  --transport auto|wss|ws  chat websocket transport (default: SOOP_CHAT_TRANSPORT or auto)
`;

/** The part of the app Config this command reads (src/config.ts `Config` fits). */
export interface TailConfig {
  readonly soopLiveInfoUrl: string;
  readonly soopPlayerUrl?: string;
  readonly soopChatTransport: ChatTransport;
  readonly engine: { readonly keepaliveMs: number; readonly silenceMs: number };
  readonly liveInfo: { readonly timeoutMs: number; readonly offlineCheckMs: number; readonly restrictedCheckMs: number };
}

export interface TailContext {
  /** Reads and validates the environment; throws a ConfigError listing the problems. */
  loadConfig(): TailConfig;
}

interface TailArgs {
  readonly streamer: string;
  readonly json: boolean;
  readonly membership: boolean;
  readonly liveInfoUrl?: string;
  readonly transport?: ChatTransport;
}

const TRANSPORTS: readonly ChatTransport[] = ['auto', 'wss', 'ws'];

function parseArgs(args: readonly string[]): TailArgs | string {
  let streamer: string | undefined;
  let json = false;
  let membership = false;
  let liveInfoUrl: string | undefined;
  let transport: ChatTransport | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--json') json = true;
    else if (arg === '--membership') membership = true;
    else if (arg === '--live-info-url') {
      liveInfoUrl = args[++i];
      if (!liveInfoUrl) return '--live-info-url needs a URL.';
    } else if (arg === '--transport') {
      const value = args[++i] ?? '';
      if (!(TRANSPORTS as readonly string[]).includes(value)) return `--transport must be one of ${TRANSPORTS.join(', ')} (got "${value}").`;
      transport = value as ChatTransport;
    } else if (arg.startsWith('-')) return `Unknown option "${arg}".`;
    else if (streamer === undefined) streamer = arg;
    else return `tail takes one streamer, got "${streamer}" and "${arg}".`;
  }
  if (streamer === undefined) return 'Which streamer? Give a SOOP streamer id or channel URL.';
  return {
    streamer,
    json,
    membership,
    ...(liveInfoUrl === undefined ? {} : { liveInfoUrl }),
    ...(transport === undefined ? {} : { transport }),
  };
}

function time(): string {
  return new Date().toISOString().slice(11, 23);
}

/** One readable line for an event. */
export function formatEvent(event: SoopEvent): string {
  switch (event.kind) {
    case 'chat':
      return `chat ${event.nickname} (${event.userId}): ${event.message}`;
    case 'donation':
      return `donation ${event.type} ×${event.count} from ${event.nickname} (${event.userId})${event.message ? `: ${event.message}` : ''}`;
    case 'subscription':
      return `subscription ${event.type} ${event.nickname} (${event.userId})${event.months === undefined ? '' : ` month ${event.months}`}`;
    default: {
      const { kind, ...rest } = event;
      return `${kind} ${JSON.stringify(rest)}`;
    }
  }
}

function formatState(state: ChatSourceState): string {
  const { state: name, ...rest } = state;
  return Object.keys(rest).length === 0 ? name : `${name} ${JSON.stringify(rest)}`;
}

export async function main(args: string[], context?: TailContext): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    process.stderr.write(`tail: ${parsed}\n${USAGE}`);
    return 2;
  }
  let streamerId: string;
  let config: TailConfig | undefined;
  try {
    streamerId = parseStreamerId(parsed.streamer);
    config = context?.loadConfig();
  } catch (err) {
    process.stderr.write(`tail: ${err instanceof InputError ? problemText('en', err.problem) : describeError(err)}\n`);
    return 2;
  }
  const liveInfoUrl = parsed.liveInfoUrl ?? config?.soopLiveInfoUrl ?? DEFAULT_SOOP_LIVE_INFO_URL;
  configureSoopPlayerUrl(config?.soopPlayerUrl);

  // `tail … | head` closes the pipe early: a normal way to stop.
  const controller = new AbortController();
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') controller.abort();
  });
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  const client = createSoopChatClient(streamerId, {
    fetchLiveInfo: createLiveInfoFetcher({ url: liveInfoUrl, timeoutMs: config?.liveInfo.timeoutMs ?? 8000 }),
    transport: parsed.transport ?? config?.soopChatTransport ?? 'auto',
    ...(config === undefined
      ? {}
      : {
          keepaliveMs: config.engine.keepaliveMs,
          silenceMs: config.engine.silenceMs,
          offlineCheckMs: config.liveInfo.offlineCheckMs,
          restrictedCheckMs: config.liveInfo.restrictedCheckMs,
        }),
  });
  process.stderr.write(`${time()} tail ${streamerId} via ${liveInfoUrl} (Ctrl-C to stop)\n`);
  await client.run(
    {
      onPacket: (packet) => {
        const event = translatePacket(packet);
        if (event.kind === 'membership' && !parsed.membership) return;
        const line = parsed.json ? JSON.stringify(event) : formatEvent(event);
        process.stdout.write(`${time()} ${line}\n`);
      },
      onState: (state) => process.stderr.write(`${time()} [${formatState(state)}]\n`),
    },
    controller.signal,
  );
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  return 0;
}
