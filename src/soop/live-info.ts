/**
 * SOOP's live-info HTTP step (`player_live_api.php`): is the streamer live, and where is the chat?
 * `parseLiveInfo` is pure (tested over captured bodies); `createLiveInfoFetcher` does the POST.
 */
import { SoopError, SoopHostError } from '../core/errors.js';
import type { LiveInfo, LiveInfoFetcher } from '../core/live-info.js';
import { soopPlayerUrl } from '../core/soop-hosts.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field SOOP sends as a string (sometimes a number); empty → undefined. */
function text(channel: Json, key: string): string | undefined {
  const value = channel[key];
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function readResult(body: Json, channel: Json | undefined): number | undefined {
  for (const raw of [channel?.['RESULT'], body['RESULT']]) {
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof value === 'number' && Number.isInteger(value)) return value;
  }
  return undefined;
}

/** SOOP's chat servers are named `chat-<CHIP as 8 hex digits>.<this domain>` (e.g. 110.10.76.78 → chat-6e0a4c4e). */
export const DEFAULT_CHAT_DOMAIN = 'sooplive.com';

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * The chat host name for a chat server address when live info has no CHDOMAIN, derived as the web
 * player's peers do: a bare IP would fail the TLS certificate check, which names the host. An
 * address that is not IPv4 is returned as it is (it may already be a name).
 */
export function chatHostFromAddress(address: string, chatDomain: string = DEFAULT_CHAT_DOMAIN): string {
  const octets = IPV4.exec(address.trim())?.slice(1).map(Number);
  if (octets === undefined || octets.some((o) => o > 255)) return address.trim().toLowerCase();
  const hex = octets.map((o) => o.toString(16).padStart(2, '0')).join('');
  return `chat-${hex}.${chatDomain}`.toLowerCase();
}

export interface ParseLiveInfoOptions {
  /** The domain chat host names are derived under when CHDOMAIN is missing. */
  readonly chatDomain?: string;
}

/** RESULT 1 (live, or password room): every chat field must be there. */
function parseLive(channel: Json, streamerId: string, options: ParseLiveInfoOptions): LiveInfo {
  const broadcastNo = text(channel, 'BNO');
  const chatNo = text(channel, 'CHATNO');
  const address = text(channel, 'CHIP');
  const host = text(channel, 'CHDOMAIN') ?? (address === undefined ? undefined : chatHostFromAddress(address, options.chatDomain));
  const portText = text(channel, 'CHPT');
  const missing = [
    broadcastNo === undefined ? 'BNO' : '',
    chatNo === undefined ? 'CHATNO' : '',
    host === undefined ? 'CHDOMAIN/CHIP' : '',
    portText === undefined ? 'CHPT' : '',
  ].filter((name) => name !== '');
  if (broadcastNo === undefined || chatNo === undefined || host === undefined || portText === undefined) {
    throw new SoopError(
      'SOOP_LIVE_INFO_INCOMPLETE',
      `SOOP live info for "${streamerId}" says live but lacks the chat fields ${missing.join(', ')}.`,
    );
  }
  const chatPort = Number(portText);
  // The TLS port is CHPT+1, so CHPT itself must leave room for it.
  if (!Number.isInteger(chatPort) || chatPort < 1 || chatPort > 65534) {
    throw new SoopError('SOOP_LIVE_INFO_INCOMPLETE', `SOOP live info for "${streamerId}" has an invalid chat port "${portText}".`);
  }
  const ftk = text(channel, 'FTK');
  return {
    status: channel['BPWD'] === 'Y' ? 'password' : 'live',
    streamerId: text(channel, 'BJID') ?? streamerId,
    streamerNickname: text(channel, 'BJNICK') ?? streamerId,
    broadcastNo,
    chatNo,
    title: text(channel, 'TITLE') ?? '',
    chatHost: host.toLowerCase(),
    chatPort,
    ...(ftk === undefined ? {} : { ftk }),
  };
}

function optionalTitle(channel: Json): { title?: string } {
  const title = text(channel, 'TITLE');
  return title === undefined ? {} : { title };
}

function parseMinTier(channel: Json): { minTier?: number } {
  const tier = Number(text(channel, 'P_MIN_TIER'));
  return Number.isInteger(tier) && tier > 0 ? { minTier: tier } : {};
}

/** The body of a `player_live_api.php` reply, already JSON-parsed, in domain terms. */
export function parseLiveInfo(body: unknown, streamerId: string, options: ParseLiveInfoOptions = {}): LiveInfo {
  if (!isObject(body)) {
    throw new SoopError('SOOP_LIVE_INFO_INVALID', `SOOP live info for "${streamerId}" is not a JSON object.`);
  }
  const channel = isObject(body['CHANNEL']) ? body['CHANNEL'] : undefined;
  const result = readResult(body, channel);
  if (result === undefined) {
    throw new SoopError('SOOP_LIVE_INFO_INVALID', `SOOP live info for "${streamerId}" has no RESULT field.`);
  }
  const fields = channel ?? body;
  switch (result) {
    case 1:
      return parseLive(fields, streamerId, options);
    case 0:
      return { status: 'offline' };
    case -6:
      return { status: 'adult', ...optionalTitle(fields) };
    case -8:
      return { status: 'adultPassword', ...optionalTitle(fields) };
    case -14:
      return { status: 'subscribersOnly', ...parseMinTier(fields) };
    default:
      return { status: 'unknown', result };
  }
}

export interface LiveInfoFetcherOptions {
  /** e.g. https://live.sooplive.com/afreeca/player_live_api.php (config SOOP_LIVE_INFO_URL). */
  readonly url: string;
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
  readonly userAgent?: string;
  /** The domain chat host names are derived under when a reply has no CHDOMAIN (default sooplive.com). */
  readonly chatDomain?: string;
}

const DEFAULT_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
/** Real replies are a few KiB; anything far bigger is not a live-info reply. */
const MAX_BODY_CHARS = 1024 * 1024;

/** The form the web player posts (anonymous, `type=live`). */
export function liveInfoForm(streamerId: string): string {
  return new URLSearchParams({
    bid: streamerId,
    bno: '',
    type: 'live',
    pwd: '',
    player_type: 'html5',
    stream_type: 'common',
    quality: 'HD',
    mode: 'landing',
    from_api: '0',
    is_revive: 'false',
  }).toString();
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && err.name === 'TimeoutError';
}

/** undici reports "fetch failed" and keeps the system error (code ENOTFOUND, ECONNREFUSED...) in `cause`. */
function causeCode(err: unknown): string | undefined {
  const cause = err instanceof Error ? err.cause : undefined;
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function networkMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // undici reports "fetch failed" and keeps the useful part (ECONNREFUSED, ENOTFOUND...) in `cause`.
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`;
}

export function createLiveInfoFetcher(options: LiveInfoFetcherOptions): LiveInfoFetcher {
  const doFetch = options.fetch ?? fetch;
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;

  async function request(streamerId: string, signal: AbortSignal): Promise<string> {
    const url = new URL(options.url);
    url.searchParams.set('bjid', streamerId);
    const origin = soopPlayerUrl();
    const response = await doFetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json, text/plain, */*',
        Origin: origin,
        Referer: `${origin}/${encodeURIComponent(streamerId)}`,
        'User-Agent': userAgent,
      },
      body: liveInfoForm(streamerId),
      // A redirect means SOOP moved the API: say so instead of following it (a followed 301 turns
      // the POST into a GET, which answers a page, not live info).
      redirect: 'manual',
      signal,
    });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel().catch(() => undefined);
      const location = response.headers.get('location') ?? '';
      const target = location === '' ? 'nowhere' : new URL(location, options.url).toString();
      throw new SoopHostError(
        { kind: 'moved', url: options.url, status: response.status, location: target },
        `SOOP live info at ${options.url} answers HTTP ${response.status}, moved to ${target}: SOOP has moved this address. Set SOOP_LIVE_INFO_URL to the current one.`,
      );
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new SoopError(
        'SOOP_LIVE_INFO_HTTP',
        `SOOP live info for "${streamerId}" failed: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`,
      );
    }
    return response.text();
  }

  return async (streamerId, callerSignal) => {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
    let raw: string;
    try {
      raw = await request(streamerId, signal);
    } catch (err) {
      if (err instanceof SoopError) throw err;
      // The caller's own abort is not a SOOP failure: hand its reason back unchanged.
      if (callerSignal?.aborted) throw callerSignal.reason;
      if (timeout.aborted || isTimeout(err)) {
        throw new SoopError('SOOP_LIVE_INFO_TIMEOUT', `SOOP live info for "${streamerId}" timed out after ${options.timeoutMs} ms.`, {
          cause: err,
        });
      }
      if (causeCode(err) === 'ENOTFOUND') {
        const host = hostOf(options.url);
        throw new SoopHostError(
          { kind: 'notFound', url: options.url, host },
          `SOOP live-info host ${host} does not resolve (ENOTFOUND): SOOP may have retired it (sooplive.co.kr moved to sooplive.com in March 2026), or DNS is down. Check SOOP_LIVE_INFO_URL.`,
          { cause: err },
        );
      }
      throw new SoopError('SOOP_LIVE_INFO_NETWORK', `SOOP live info for "${streamerId}" failed: ${networkMessage(err)}.`, { cause: err });
    }
    if (raw.length > MAX_BODY_CHARS) {
      throw new SoopError('SOOP_LIVE_INFO_INVALID', `SOOP live info for "${streamerId}" is unexpectedly large (${raw.length} characters).`);
    }
    if (/^\s*</.test(raw)) {
      throw new SoopHostError(
        { kind: 'notApi', url: options.url },
        `SOOP live info at ${options.url} answered an HTML page instead of live-info JSON (it starts with "${raw.trim().slice(0, 60).replace(/\s+/g, ' ')}"): SOOP may have moved this address, or shows a maintenance page. Check SOOP_LIVE_INFO_URL.`,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch (err) {
      const start = raw.slice(0, 60).replace(/\s+/g, ' ');
      throw new SoopError('SOOP_LIVE_INFO_INVALID', `SOOP live info for "${streamerId}" is not JSON (it starts with "${start}").`, {
        cause: err,
      });
    }
    return parseLiveInfo(body, streamerId, options.chatDomain === undefined ? {} : { chatDomain: options.chatDomain });
  };
}
