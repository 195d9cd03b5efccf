/**
 * A throwaway PostgreSQL cluster for tests: initdb into a temp folder, pg_ctl start on a free port
 * of 127.0.0.1 (its unix socket in the same folder), and stop + delete it afterwards. It never
 * touches a cluster the machine may already run (Debian starts one on 5432).
 * PostgreSQL refuses to run as root, so as root (CI) the binaries run as the `postgres` OS user.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PG_ROOT = '/usr/lib/postgresql';

/** Debian's layout: /usr/lib/postgresql/<version>/bin; the newest version wins. PG_BIN_DIR overrides. */
export function findPostgresBinDir(): string | undefined {
  const fromEnv = process.env.PG_BIN_DIR;
  if (fromEnv) return existsSync(join(fromEnv, 'initdb')) ? fromEnv : undefined;
  if (!existsSync(PG_ROOT)) return undefined;
  const versions = readdirSync(PG_ROOT)
    .filter((v) => existsSync(join(PG_ROOT, v, 'bin', 'initdb')) && existsSync(join(PG_ROOT, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(PG_ROOT, versions[0], 'bin');
}

export interface PgCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust authentication). */
  readonly url: string;
  readonly port: number;
  /** Stops the server and deletes its folder; safe to call twice. */
  stop(): void;
  /** Stops the server (fast shutdown: clients get 57P01 admin_shutdown), keeping its data and port. */
  stopServer(): void;
  /** Starts a server stopped with stopServer() again, on the same port. */
  startServer(): Promise<void>;
}

const asRoot = process.getuid?.() === 0;

/** The command line, run as the postgres OS user when we are root. */
function command(bin: string, args: readonly string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, [...args]];
}

function run(bin: string, args: readonly string[]): Promise<void> {
  const [file, argv] = command(bin, args);
  return new Promise((resolve, reject) => {
    execFile(file, argv, { timeout: 15_000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`${bin} ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
      else resolve();
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function ownByPostgres(path: string): void {
  const id = (flag: string): number => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  chownSync(path, id('-u'), id('-g'));
}

const PREFIX = 'soop-pg-';
const OWNER_FILE = 'owner.pid';

function stopServer(binDir: string, data: string, mode: 'immediate' | 'fast' = 'immediate'): void {
  const [file, argv] = command(join(binDir, 'pg_ctl'), ['-D', data, '-m', mode, '-w', 'stop']);
  spawnSync(file, argv, { stdio: 'ignore', timeout: 15_000 });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A test process killed outright (no exit hook) leaves its cluster running: stop those whose owner is gone. */
function reapOrphans(binDir: string): void {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith(PREFIX))) {
    const dir = join(tmpdir(), name);
    let owner: number;
    try {
      owner = Number(readFileSync(join(dir, OWNER_FILE), 'utf8'));
    } catch {
      continue; // still being set up, or not ours
    }
    if (!Number.isInteger(owner) || owner <= 0 || isAlive(owner)) continue;
    if (existsSync(join(dir, 'data', 'postmaster.pid'))) stopServer(binDir, join(dir, 'data'));
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startPgCluster(binDir: string): Promise<PgCluster> {
  reapOrphans(binDir);
  const dir = mkdtempSync(join(tmpdir(), PREFIX));
  writeFileSync(join(dir, OWNER_FILE), String(process.pid));
  const data = join(dir, 'data');
  let started = false;
  const stop = (): void => {
    if (started) {
      stopServer(binDir, data);
      started = false;
    }
    rmSync(dir, { recursive: true, force: true });
    process.off('exit', stop);
  };
  // Should the test process end without afterAll, the server must not outlive it.
  process.on('exit', stop);
  try {
    if (asRoot) ownByPostgres(dir);
    await run(join(binDir, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
    const port = await freePort();
    const settings = [
      `-c port=${port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${dir}`,
      // Throwaway data: no fsync, no durability work.
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
    ].join(' ');
    const start = async (): Promise<void> => {
      started = true;
      await run(join(binDir, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '15', '-o', settings, 'start']);
    };
    await start();
    const stopOnly = (): void => {
      if (!started) return;
      stopServer(binDir, data, 'fast');
      started = false;
    };
    return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, stop, stopServer: stopOnly, startServer: start };
  } catch (err) {
    stop();
    throw err;
  }
}
