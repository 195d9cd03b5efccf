import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SoopError } from '../../src/core/errors.js';
import type { LiveInfo } from '../../src/core/live-info.js';
import { chatHostFromAddress, createLiveInfoFetcher, liveInfoForm, parseLiveInfo } from '../../src/soop/live-info.js';
import { REAL_LIVE_INFO_DIR } from './real-frames.js';

// The captured bodies are AGPL test data: read them in place, never copy them into the repo.
const FIXTURES = REAL_LIVE_INFO_DIR;
const fixture = (name: string): unknown => JSON.parse(readFileSync(`${FIXTURES}/${name}`, 'utf8'));

describe('parseLiveInfo over every captured body', () => {
  const expected: Record<string, LiveInfo | 'incomplete'> = {
    'live.json': {
      status: 'live',
      streamerId: 'khm11903',
      streamerNickname: '봉준',
      broadcastNo: '297314125',
      chatNo: '4172',
      title: '봉준',
      chatHost: 'chat-6e0a4c4e.sooplive.com',
      chatPort: 9000,
      ftk: '70e60f9cb844be6ff050a1e1d898c49d_khm11903_297314125_html5_1',
    },
    'live-1440p.json': {
      status: 'live',
      streamerId: 'rrvv17',
      streamerNickname: '항상#킴성태',
      broadcastNo: '297447809',
      chatNo: '322',
      title: '킴성태vs오아 빠칭코빵 3/2 지상이랑 로이세끼 대기중',
      chatHost: 'chat-76dbfccc.sooplive.com',
      chatPort: 9000,
      ftk: 'eb6cb735c00f549501b2355762611386_rrvv17_297447809_html5_1',
    },
    'password.json': {
      status: 'password',
      streamerId: 'nsh100427',
      streamerNickname: '아스모.',
      broadcastNo: '297451835',
      chatNo: '6379',
      title: '다잉라이트',
      chatHost: 'chat-76dbfccf.sooplive.com',
      chatPort: 9000,
      ftk: 'ff9545b9b2395d7d5681f976e21b2f65_nsh100427_297451835_html5_1',
    },
    'offline.json': { status: 'offline' },
    'missing.json': { status: 'offline' },
    'aid-password.json': { status: 'offline' },
    'adult.json': { status: 'adult', title: '다시보기 X 추석 토끼 떡 찧다가 술마시는중' },
    'aid-adult.json': { status: 'adult' },
    'adult-password.json': { status: 'adultPassword', title: '회복중..' },
    'subscribers.json': { status: 'subscribersOnly', minTier: 2 },
    // type=aid replies say RESULT 1 but carry a stream key, not chat fields: never a chat target.
    'aid-hd.json': 'incomplete',
    'aid-original.json': 'incomplete',
  };

  it('covers all 12 captured files', () => {
    expect(readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [file, want] of Object.entries(expected)) {
    it(`${file} → ${want === 'incomplete' ? 'SoopError (no chat fields)' : want.status}`, () => {
      const body = fixture(file);
      if (want === 'incomplete') {
        expect(() => parseLiveInfo(body, 'someone')).toThrowError(SoopError);
        expect(() => parseLiveInfo(body, 'someone')).toThrowError(/lacks the chat fields BNO, CHATNO, CHDOMAIN\/CHIP, CHPT/);
      } else {
        expect(parseLiveInfo(body, 'someone')).toEqual(want);
      }
    });
  }
});

describe('parseLiveInfo edge cases', () => {
  const liveChannel = { RESULT: 1, BNO: '1', CHATNO: '77', CHDOMAIN: 'CHAT-AB.SOOPLIVE.COM', CHIP: '10.0.0.1', CHPT: '9000' };

  it('accepts a top-level RESULT (one client reads it there)', () => {
    expect(parseLiveInfo({ RESULT: 0 }, 'x')).toEqual({ status: 'offline' });
    expect(parseLiveInfo({ RESULT: -6, CHANNEL: { TITLE: 't' } }, 'x')).toEqual({ status: 'adult', title: 't' });
  });

  it('derives the chat host name from CHIP when CHDOMAIN is missing (a bare IP fails the certificate check)', () => {
    const { CHDOMAIN: _omit, ...channel } = liveChannel;
    expect(parseLiveInfo({ CHANNEL: channel }, 'x')).toMatchObject({ chatHost: 'chat-0a000001.sooplive.com', chatPort: 9000 });
    expect(parseLiveInfo({ CHANNEL: channel }, 'x', { chatDomain: 'example.test' })).toMatchObject({ chatHost: 'chat-0a000001.example.test' });
  });

  it('derives exactly the CHDOMAIN of the captured live body from its CHIP', () => {
    const body = fixture('live.json') as { CHANNEL: Record<string, unknown> };
    const { CHDOMAIN: domain, ...withoutDomain } = body.CHANNEL;
    expect(domain).toBe('chat-6E0A4C4E.sooplive.com');
    expect(chatHostFromAddress(String(body.CHANNEL['CHIP']))).toBe('chat-6e0a4c4e.sooplive.com');
    expect(parseLiveInfo({ CHANNEL: withoutDomain }, 'khm11903')).toMatchObject({ chatHost: String(domain).toLowerCase() });
  });

  it('keeps a CHIP that is not an IPv4 address as a host name', () => {
    expect(chatHostFromAddress('Chat-Backup.Example.Test')).toBe('chat-backup.example.test');
    expect(chatHostFromAddress('300.1.1.1')).toBe('300.1.1.1');
  });

  it('lower-cases CHDOMAIN and falls back to the requested id and empty title', () => {
    expect(parseLiveInfo({ CHANNEL: liveChannel }, 'asked')).toEqual({
      status: 'live',
      streamerId: 'asked',
      streamerNickname: 'asked',
      broadcastNo: '1',
      chatNo: '77',
      title: '',
      chatHost: 'chat-ab.sooplive.com',
      chatPort: 9000,
    });
  });

  it('names the missing chat field', () => {
    const { CHATNO: _omit, ...channel } = liveChannel;
    expect(() => parseLiveInfo({ CHANNEL: channel }, 'x')).toThrowError(/"x" says live but lacks the chat fields CHATNO\./);
  });

  it('rejects a bad chat port', () => {
    expect(() => parseLiveInfo({ CHANNEL: { ...liveChannel, CHPT: 'abc' } }, 'x')).toThrowError(/invalid chat port "abc"/);
  });

  it('maps unknown RESULT values and rejects bodies without RESULT', () => {
    expect(parseLiveInfo({ CHANNEL: { RESULT: -2 } }, 'x')).toEqual({ status: 'unknown', result: -2 });
    expect(parseLiveInfo({ CHANNEL: { RESULT: '-14', P_MIN_TIER: 'x' } }, 'x')).toEqual({ status: 'subscribersOnly' });
    expect(() => parseLiveInfo({ CHANNEL: {} }, 'x')).toThrowError(/has no RESULT field/);
    expect(() => parseLiveInfo([1], 'x')).toThrowError(/not a JSON object/);
  });
});

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

describe('createLiveInfoFetcher against a local HTTP server', () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];
  let reply: (res: ServerResponse) => void = () => undefined;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        reply(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/afreeca/player_live_api.php`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const answer = (status: number, body: string, contentType = 'text/html; charset=utf-8') => (res: ServerResponse) => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(body);
  };

  it('posts the web player form and parses JSON served as text/html', async () => {
    reply = answer(200, readFileSync(`${FIXTURES}/live.json`, 'utf8'));
    const fetchLiveInfo = createLiveInfoFetcher({ url: base, timeoutMs: 2000 });
    const info = await fetchLiveInfo('khm11903');
    expect(info).toMatchObject({ status: 'live', chatNo: '4172', chatHost: 'chat-6e0a4c4e.sooplive.com' });

    const request = seen.at(-1);
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/afreeca/player_live_api.php?bjid=khm11903');
    expect(request?.body).toBe(
      'bid=khm11903&bno=&type=live&pwd=&player_type=html5&stream_type=common&quality=HD&mode=landing&from_api=0&is_revive=false',
    );
    expect(request?.body).toBe(liveInfoForm('khm11903'));
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.headers['origin']).toBe('https://play.sooplive.com');
    expect(request?.headers['referer']).toBe('https://play.sooplive.com/khm11903');
    expect(request?.headers['user-agent']).toMatch(/Mozilla/);
  });

  it('reports HTTP errors with the status', async () => {
    reply = answer(500, 'oops');
    const fetchLiveInfo = createLiveInfoFetcher({ url: base, timeoutMs: 2000 });
    const err = await fetchLiveInfo('abc').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SoopError);
    expect(err).toMatchObject({ code: 'SOOP_LIVE_INFO_HTTP', message: 'SOOP live info for "abc" failed: HTTP 500 Internal Server Error.' });
  });

  it('reports an HTML page as a host problem, with its start, and other non-JSON bodies as invalid', async () => {
    reply = answer(200, '<html><body>maintenance</body></html>');
    const fetchLiveInfo = createLiveInfoFetcher({ url: base, timeoutMs: 2000 });
    await expect(fetchLiveInfo('abc')).rejects.toMatchObject({
      code: 'SOOP_HOST_NOT_API',
      message: expect.stringContaining('HTML page instead of live-info JSON (it starts with "<html><body>maintenance</body></html>")'),
    });
    reply = answer(200, 'maintenance');
    await expect(fetchLiveInfo('abc')).rejects.toMatchObject({
      code: 'SOOP_LIVE_INFO_INVALID',
      message: 'SOOP live info for "abc" is not JSON (it starts with "maintenance").',
    });
  });

  it('times out', async () => {
    reply = () => undefined; // never answers
    const fetchLiveInfo = createLiveInfoFetcher({ url: base, timeoutMs: 100 });
    await expect(fetchLiveInfo('slow')).rejects.toMatchObject({
      code: 'SOOP_LIVE_INFO_TIMEOUT',
      message: 'SOOP live info for "slow" timed out after 100 ms.',
    });
  });

  it("hands the caller's abort reason back unchanged", async () => {
    reply = () => undefined;
    const fetchLiveInfo = createLiveInfoFetcher({ url: base, timeoutMs: 5000 });
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const pending = fetchLiveInfo('slow', controller.signal);
    setTimeout(() => controller.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
  });

  it('reports a refused connection as a network failure', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const fetchLiveInfo = createLiveInfoFetcher({ url: `http://127.0.0.1:${port}/x`, timeoutMs: 2000 });
    await expect(fetchLiveInfo('abc')).rejects.toMatchObject({ code: 'SOOP_LIVE_INFO_NETWORK', message: expect.stringMatching(/ECONNREFUSED/) });
  });
});
