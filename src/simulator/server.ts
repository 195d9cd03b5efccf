/**
 * The fake SOOP server: one node:http server on 127.0.0.1 serving the live-info API
 * (`POST /afreeca/player_live_api.php`), a chapi-like `GET /api/<id>/station`, and chat
 * websockets on `/Websocket/<streamerId>` (subprotocol `chat`), whose CHDOMAIN/CHPT the
 * live-info replies point at this same port.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { SimulatorOptions, SoopSimulator } from './api.js';
import { liveInfoBody, stationBody } from './live-info-body.js';
import { Room, type RoomHost } from './room.js';
import { TrafficScheduler } from './traffic-scheduler.js';

export type { SimulatedRoom, SoopSimulator, SimulatorOptions } from './api.js';

const LIVE_INFO_PATH = '/afreeca/player_live_api.php';
const STATION_PATH = /^\/api\/([^/]+)\/station\/?$/;
const WEBSOCKET_PATH = /^\/Websocket\/([^/]+)\/?$/;
const MAX_FORM_BYTES = 64 * 1024;
/** Broadcast and chat numbers grow server-wide, so a restart never reuses a CHATNO. */
const FIRST_BROADCAST_NO = 297314125;
const FIRST_CHAT_NO = 4172;

function decodeId(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        reject(new Error('form body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: object, contentType: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function rejectUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

class Simulator implements SoopSimulator, RoomHost {
  readonly traffic = new TrafficScheduler();
  readonly stats = { liveInfoRequests: 0, connections: 0 };
  private readonly rooms = new Map<string, Room>();
  /** Live-info requests for ids that have no room yet; handed over when the room is created. */
  private readonly requestsBeforeRoom = new Map<string, number>();
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    // Rooms answer pings themselves, so a stalled room can leave them unanswered.
    autoPong: false,
    handleProtocols: (protocols) => (protocols.has('chat') ? 'chat' : false),
  });
  private readonly server = createServer((req, res) => void this.onRequest(req, res));
  private broadcastCounter = 0;
  private closed = false;
  port = 0;

  constructor(private readonly host: string) {
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
  }

  get liveInfoUrl(): string {
    return `http://${this.host}:${this.port}${LIVE_INFO_PATH}`;
  }

  get stationApiUrl(): string {
    return `http://${this.host}:${this.port}/api`;
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, this.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('The simulator could not read its own port.');
    this.port = address.port;
  }

  room(streamerId: string): Room {
    let room = this.rooms.get(streamerId);
    if (!room) {
      room = new Room(streamerId, this);
      room.liveInfoRequests = this.requestsBeforeRoom.get(streamerId) ?? 0;
      this.requestsBeforeRoom.delete(streamerId);
      this.rooms.set(streamerId, room);
    }
    return room;
  }

  nextBroadcast(): { broadcastNo: string; chatNo: string } {
    const n = this.broadcastCounter++;
    return { broadcastNo: String(FIRST_BROADCAST_NO + n * 113), chatNo: String(FIRST_CHAT_NO + n * 7) };
  }

  connectionOpened(): void {
    this.stats.connections++;
  }

  connectionClosed(): void {
    this.stats.connections--;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.traffic.stopAll();
    for (const room of this.rooms.values()) room.terminateAll();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closing;
  }

  private countLiveInfoRequest(id: string): void {
    this.stats.liveInfoRequests++;
    const room = this.rooms.get(id);
    if (room) room.liveInfoRequests++;
    else if (id) this.requestsBeforeRoom.set(id, (this.requestsBeforeRoom.get(id) ?? 0) + 1);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${this.host}`);
    try {
      if (url.pathname === LIVE_INFO_PATH) return await this.onLiveInfo(req, res, url);
      const station = STATION_PATH.exec(url.pathname);
      if (station && req.method === 'GET') {
        const id = decodeId(station[1] ?? '');
        const { status, body } = stationBody(id === undefined ? undefined : this.rooms.get(id));
        return sendJson(res, status, body, 'application/json; charset=utf-8');
      }
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not found\n');
    } catch {
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Bad request\n');
    }
  }

  private async onLiveInfo(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const form = new URLSearchParams(req.method === 'POST' ? await readBody(req) : '');
    const id = form.get('bid') || url.searchParams.get('bjid') || url.searchParams.get('bj_id') || '';
    this.countLiveInfoRequest(id);
    const room = this.rooms.get(id);
    switch (room?.liveInfoFault) {
      case 'hang':
        return; // never answers; close() destroys the connection
      case 'http500':
        res.writeHead(500, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<html><body>Internal Server Error</body></html>');
        return;
      case 'malformed':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<html><body>점검 중입니다</body></html>');
        return;
      default:
        break;
    }
    const body = liveInfoBody(
      room,
      { host: this.host, port: this.port },
      { type: form.get('type') ?? 'live', password: form.get('pwd') ?? '' },
    );
    sendJson(res, 200, body, 'text/html; charset=utf-8');
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => {});
    const url = new URL(req.url ?? '/', `http://${this.host}`);
    const match = WEBSOCKET_PATH.exec(url.pathname);
    const id = match ? decodeId(match[1] ?? '') : undefined;
    if (id === undefined) return rejectUpgrade(socket, 404, 'Not Found');
    const room = this.rooms.get(id);
    if (!room || !room.acceptsConnections) return rejectUpgrade(socket, 404, 'Not Found');
    const protocols = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!protocols.includes('chat')) return rejectUpgrade(socket, 400, 'Bad Request');
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (this.closed) {
        ws.terminate();
        return;
      }
      room.attach(ws);
    });
  }
}

/** Starts the simulator on 127.0.0.1 (port 0 = any free port). */
export async function startSoopSimulator(options: SimulatorOptions = {}): Promise<SoopSimulator> {
  const simulator = new Simulator(options.host ?? '127.0.0.1');
  await simulator.listen(options.port ?? 0);
  return simulator;
}
