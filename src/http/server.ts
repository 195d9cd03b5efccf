/**
 * The HTTP endpoint: `/healthz` (the process answers), `/readyz` (the app's checks, 200 or 503)
 * and `/metrics` (Prometheus text). Nothing else; node:http is plenty for three read-only routes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError, describeError } from '../core/errors.js';
import type { Locale } from '../core/locale.js';
import { say, startupText } from '../i18n/index.js';

export interface Readiness {
  readonly ok: boolean;
  /** Each check by name: true/false, or a sentence saying what is wrong. */
  readonly checks: Readonly<Record<string, boolean | string>>;
}

/** What the server needs of the metrics (createMetrics' result fits it as is). */
export interface MetricsText {
  readonly contentType: string;
  render(): Promise<string>;
}

export interface HttpLogger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface HttpServerOptions {
  /** 0 picks a free port (tests). The app does not start the server at all when HTTP_PORT is 0. */
  readonly port: number;
  /** Default 127.0.0.1 (HTTP_HOST); the image sets 0.0.0.0, and compose publishes it on the host's loopback. */
  readonly host?: string;
  readonly metrics: MetricsText;
  readonly ready: () => Readiness;
  readonly logger?: HttpLogger;
  /** The language of the operator's lines (default ko). */
  readonly locale?: Locale;
}

export interface HttpServer {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** The endpoint could not be started. */
export class HttpServerError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('HTTP_LISTEN_FAILED', message, { cause });
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string, head: boolean): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(head ? undefined : body);
}

const TEXT = 'text/plain; charset=utf-8';
const ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

async function handle(req: IncomingMessage, res: ServerResponse, options: HttpServerOptions): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (!ROUTES.has(path)) return send(res, 404, TEXT, 'not found\n', false);
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    res.setHeader('allow', 'GET, HEAD');
    return send(res, 405, TEXT, 'method not allowed\n', false);
  }

  if (path === '/healthz') return send(res, 200, TEXT, 'ok\n', head);

  if (path === '/readyz') {
    let readiness: Readiness;
    try {
      readiness = options.ready();
    } catch (err) {
      readiness = { ok: false, checks: { ready: `the readiness check failed: ${describeError(err)}` } };
    }
    return send(res, readiness.ok ? 200 : 503, 'application/json; charset=utf-8', `${JSON.stringify(readiness)}\n`, head);
  }

  try {
    send(res, 200, options.metrics.contentType, await options.metrics.render(), head);
  } catch (err) {
    options.logger?.error({ err: describeError(err) }, 'metrics could not be rendered');
    send(res, 500, TEXT, 'metrics could not be rendered\n', head);
  }
}

export function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const host = options.host ?? '127.0.0.1';
  const locale = options.locale ?? 'ko';
  const server = createServer((req, res) => {
    handle(req, res, options).catch((err: unknown) => {
      options.logger?.error({ err: describeError(err) }, 'http request failed');
      if (!res.headersSent) send(res, 500, TEXT, 'internal error\n', false);
      else res.destroy();
    });
  });

  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const why = err.code === 'EADDRINUSE' ? say(locale, startupText.portInUse) : describeError(err);
      reject(new HttpServerError(say(locale, startupText.httpCannotListen, `${host}:${options.port}`, why), err));
    };
    server.once('error', onError);
    server.listen(options.port, host, () => {
      server.off('error', onError);
      server.on('error', (err) => options.logger?.error({ err: describeError(err) }, 'http endpoint error'));
      const { port } = server.address() as AddressInfo;
      options.logger?.info({ host, port }, say(locale, startupText.httpListening, `${host.includes(':') ? `[${host}]` : host}:${port}`));
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Keep-alive connections (a scraper's) would hold close() open; requests here are short and idempotent.
            server.closeAllConnections();
          }),
      });
    });
  });
}
