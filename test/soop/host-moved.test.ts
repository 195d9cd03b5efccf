/**
 * The 2026 domain move: current hosts by default, and a moved or dead live-info address (a name that
 * does not resolve, a redirect, an HTML page) is its own clear state instead of an endless retry.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SoopHostError } from '../../src/core/errors.js';
import type { ChatSourceState } from '../../src/core/chat-source.js';
import type { LiveInfoFetcher } from '../../src/core/live-info.js';
import { DEFAULT_SOOP_LIVE_INFO_URL, configureSoopPlayerUrl, playerPageUrl } from '../../src/core/soop-hosts.js';
import { createLiveInfoFetcher } from '../../src/soop/live-info.js';
import { createSoopChatClient } from '../../src/soop/client.js';
import { DEFAULT_RECOVERY } from '../../src/soop/reconnect-policy.js';
import { loadConfig } from '../../src/config.js';
import { StateLines } from '../../src/engine/state-lines.js';
import { CommandService } from '../../src/commands/service.js';
import type { CommandContext, CommandEffects, StreamerStatusView } from '../../src/commands/ports.js';
import { parseStatusView, serializeStatusView } from '../../src/commands/status-view.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { EngineStatus } from '../../src/engine/streamer-engine.js';

const LIVE_BODY = JSON.stringify({ CHANNEL: { RESULT: 0 } });

let server: Server;
let base = '';
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    hits.push(`${req.method ?? ''} ${req.url ?? ''}`);
    req.resume();
    const path = (req.url ?? '').split('?')[0];
    if (path === '/old/301') {
      res.writeHead(301, { location: `${base}/new/player_live_api.php` }).end();
    } else if (path === '/old/308') {
      res.writeHead(308, { location: '/new/player_live_api.php' }).end();
    } else if (path === '/page') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><html><body>SOOP</body></html>');
    } else {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(LIVE_BODY);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

afterEach(() => {
  hits.length = 0;
  configureSoopPlayerUrl();
});

async function hostError(fetcher: LiveInfoFetcher): Promise<SoopHostError> {
  const err: unknown = await fetcher('testbj01').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SoopHostError);
  return err as SoopHostError;
}

describe('live-info address moved or dead', () => {
  it('a 301 to another address is "moved", naming where, and is not followed', async () => {
    const err = await hostError(createLiveInfoFetcher({ url: `${base}/old/301`, timeoutMs: 2000 }));
    expect(err.code).toBe('SOOP_HOST_MOVED');
    expect(err.problem).toEqual({ kind: 'moved', url: `${base}/old/301`, status: 301, location: `${base}/new/player_live_api.php` });
    expect(err.message).toMatch(/HTTP 301, moved to http:\/\/127\.0\.0\.1:\d+\/new\/player_live_api\.php.*SOOP_LIVE_INFO_URL/);
    expect(hits).toEqual([expect.stringMatching(/^POST \/old\/301\?bjid=testbj01$/)]);
  });

  it('a 308 with a relative Location is "moved" to the resolved address', async () => {
    const err = await hostError(createLiveInfoFetcher({ url: `${base}/old/308`, timeoutMs: 2000 }));
    expect(err.problem).toMatchObject({ kind: 'moved', status: 308, location: `${base}/new/player_live_api.php` });
    expect(hits).toHaveLength(1);
  });

  it('an HTML page instead of live-info JSON is "not the API" (a JSON body under text/html still parses)', async () => {
    const err = await hostError(createLiveInfoFetcher({ url: `${base}/page`, timeoutMs: 2000 }));
    expect(err.code).toBe('SOOP_HOST_NOT_API');
    expect(err.problem).toEqual({ kind: 'notApi', url: `${base}/page` });
    expect(err.message).toMatch(/HTML page instead of live-info JSON/);
    await expect(createLiveInfoFetcher({ url: `${base}/afreeca/player_live_api.php`, timeoutMs: 2000 })('testbj01')).resolves.toEqual({ status: 'offline' });
  });

  it('a host that does not resolve (undici: "fetch failed", cause ENOTFOUND) is "not found", naming the host', async () => {
    const dnsFailure: typeof fetch = () =>
      Promise.reject(
        new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND live.sooplive.co.kr'), { code: 'ENOTFOUND' }) }),
      );
    const err = await hostError(createLiveInfoFetcher({ url: 'https://live.sooplive.co.kr/afreeca/player_live_api.php', timeoutMs: 2000, fetch: dnsFailure }));
    expect(err.code).toBe('SOOP_HOST_NOT_FOUND');
    expect(err.problem).toEqual({ kind: 'notFound', url: 'https://live.sooplive.co.kr/afreeca/player_live_api.php', host: 'live.sooplive.co.kr' });
    expect(err.message).toMatch(/live\.sooplive\.co\.kr does not resolve \(ENOTFOUND\).*SOOP_LIVE_INFO_URL/);
  });

  it('a refused connection stays an ordinary network failure, not a host problem', async () => {
    const refused: typeof fetch = () =>
      Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }));
    const err: unknown = await createLiveInfoFetcher({ url: base, timeoutMs: 2000, fetch: refused })('x').catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(SoopHostError);
    expect(err).toMatchObject({ code: 'SOOP_LIVE_INFO_NETWORK' });
  });
});

describe('the chat client shows a moved host as its own cause', () => {
  it('reconnecting with cause hostGone, the clear reason, and at least a minute between checks', async () => {
    const fetcher = createLiveInfoFetcher({ url: `${base}/old/301`, timeoutMs: 2000 });
    const states: ChatSourceState[] = [];
    const controller = new AbortController();
    const client = createSoopChatClient('testbj01', { fetchLiveInfo: fetcher, transport: 'ws', backoff: { baseMs: 10, maxMs: 100 }, random: () => 0.5 });
    const running = client.run({ onPacket: () => undefined, onState: (s) => states.push(s) }, controller.signal);
    await vi.waitFor(() => expect(states.some((s) => s.state === 'reconnecting')).toBe(true), { timeout: 3000 });
    const reconnecting = states.find((s) => s.state === 'reconnecting');
    expect(reconnecting).toMatchObject({ cause: 'hostGone', reason: expect.stringMatching(/^liveInfoHostGone: .*moved to .*SOOP_LIVE_INFO_URL/) });
    expect(reconnecting && 'delayMs' in reconnecting ? reconnecting.delayMs : 0).toBeGreaterThanOrEqual(60_000);
    expect(hits).toHaveLength(1);
    controller.abort();
    await running;
    expect(DEFAULT_RECOVERY.liveInfoHostGone).toMatchObject({ cause: 'hostGone', minDelayMs: 60_000 });
  });
});

describe('current hosts by default, configurable', () => {
  it('live info, the player site and links default to sooplive.com', () => {
    expect(DEFAULT_SOOP_LIVE_INFO_URL).toBe('https://live.sooplive.com/afreeca/player_live_api.php');
    const config = loadConfig({}, []);
    expect(config).toMatchObject({ soopLiveInfoUrl: DEFAULT_SOOP_LIVE_INFO_URL, soopPlayerUrl: 'https://play.sooplive.com' });
    expect(playerPageUrl('khm11903')).toBe('https://play.sooplive.com/khm11903');
  });

  it('SOOP_PLAYER_URL changes the links and the Origin/Referer of the live-info request', async () => {
    const config = loadConfig({ SOOP_PLAYER_URL: 'https://play.example.test/' }, []);
    configureSoopPlayerUrl(config.soopPlayerUrl);
    expect(playerPageUrl('a b')).toBe('https://play.example.test/a%20b');
    let headers: Headers | undefined;
    const capture: typeof fetch = (_url, init) => {
      headers = new Headers(init?.headers);
      return Promise.resolve(new Response(LIVE_BODY, { status: 200 }));
    };
    await createLiveInfoFetcher({ url: base, timeoutMs: 2000, fetch: capture })('khm11903');
    expect(headers?.get('origin')).toBe('https://play.example.test');
    expect(headers?.get('referer')).toBe('https://play.example.test/khm11903');
  });
});

describe('the operator is told once, in plain words', () => {
  it('a moved host is one state line (ko and en) with the detail kept as the reason, not one per check', () => {
    let since = 0;
    const moved = (): EngineStatus =>
      ({
        streamerId: 'simbj01',
        state: 'reconnecting',
        since: (since += 100),
        cause: 'hostGone',
        retryInMs: 60_000,
        lastError: 'liveInfoHostGone: SOOP live info at https://live.sooplive.co.kr/afreeca/player_live_api.php answers HTTP 301, moved to https://live.sooplive.com/',
      }) as EngineStatus;
    const ko = new StateLines('ko');
    const first = ko.next(moved());
    expect(first?.text).toBe('simbj01: SOOP 주소가 옮겨졌거나 더 이상 없음 — SOOP_LIVE_INFO_URL 설정을 확인하세요 (60초 후 다시 확인)');
    expect(first?.fields).toMatchObject({ situation: 'hostGone', reason: expect.stringMatching(/moved to https:\/\/live\.sooplive\.com/) });
    expect(ko.next(moved())).toBeUndefined();
    expect(new StateLines('en').next(moved())?.text).toBe(
      "simbj01: SOOP's address has moved or no longer exists — check SOOP_LIVE_INFO_URL (checking again in 60 s)",
    );
  });
});

describe('/status says the address is moved, not "reconnecting to the chat server"', () => {
  const view: StreamerStatusView = { state: 'reconnecting', since: 0, reconnects: 0, cause: 'hostGone', lastError: 'liveInfoHostGone: HTTP 301' };
  const effects: CommandEffects = {
    subscriptionsChanged: () => undefined,
    canWatch: () => true,
    engineStatus: () => view,
    checkLiveInfo: () => Promise.resolve({ status: 'offline' }),
    sendTest: () => undefined,
  };
  const place = { platform: 'discord', id: '123456789012345678', guildId: '987654321098765432' } as const;

  it('in both languages, on this node and from another node (the cause survives the published status)', async () => {
    const commands = new CommandService(createMemoryStore(), effects, { perDestination: 3, perGuild: 5 });
    const en: CommandContext = { destination: place, userId: 'u1', locale: 'en' };
    await commands.watch(en, { streamer: 'bj1' });
    expect((await commands.status(en, 'bj1')).text).toContain("SOOP's address has moved or no longer exists; the operator needs to check SOOP_LIVE_INFO_URL");
    expect((await commands.status({ ...en, locale: 'ko' }, 'bj1')).text).toContain('SOOP 주소가 옮겨졌거나 더 이상 없습니다');
    expect(parseStatusView(serializeStatusView(view))).toMatchObject({ cause: 'hostGone' });
  });
});
