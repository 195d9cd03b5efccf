/**
 * The Docker HEALTHCHECK (`node dist/healthcheck.js`; slim images have no curl): asks the bot's own
 * /healthz with the settings the bot reads, so it holds for every HTTP_PORT and HTTP_HOST. With
 * HTTP_PORT=0 the endpoint is off by choice and there is nothing to ask: healthy. Exit 0 healthy,
 * 1 not (the Docker contract); one line on stderr says why not.
 */
import { config as loadDotenv } from 'dotenv';
import { loadConfig } from './config.js';
import { describeError } from './core/errors.js';

/** Where to reach a server bound to `host`: a wildcard address is reached on loopback. */
export function probeHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

async function check(): Promise<number> {
  loadDotenv({ quiet: true });
  let port: number;
  let host: string;
  try {
    ({ httpPort: port, httpHost: host } = loadConfig(process.env));
  } catch (err) {
    process.stderr.write(`${describeError(err)}\n`);
    return 1;
  }
  if (port === 0) return 0;
  try {
    const response = await fetch(`http://${probeHost(host)}:${port}/healthz`, { signal: AbortSignal.timeout(4000) });
    if (response.ok) return 0;
    process.stderr.write(`/healthz answered ${response.status}\n`);
  } catch (err) {
    process.stderr.write(`/healthz: ${describeError(err)}\n`);
  }
  return 1;
}

process.exitCode = await check();
