/**
 * There is no Docker engine here, so the Dockerfile is checked two ways: its key properties are
 * read from the parsed file, and its build stage is replayed (the COPY steps into an empty
 * directory, honouring .dockerignore, then the stage's own `npm run build`) to show that the file
 * its CMD runs is what the build produces, and that the built code needs no dev dependency (the
 * image prunes them).
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

interface Stage {
  readonly from: string;
  readonly name: string | undefined;
  readonly instructions: Instruction[];
}

/** Parses a Dockerfile: joins `\` continuations, drops comments, groups instructions by stage. */
function parseDockerfile(text: string): { args: Map<string, string>; stages: Stage[] } {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    lines.push(pending + line);
    pending = '';
  }
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of lines) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const instruction = { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = rest;
      stages.push({ from: image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (stages.length === 0 && instruction.keyword === 'ARG') {
      const [key = '', value = ''] = instruction.args.split('=');
      args.set(key, value);
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { args, stages };
}

const dockerfile = parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));
const [buildStage, runtimeStage] = [dockerfile.stages.at(0), dockerfile.stages.at(-1)];
const all = (stage: Stage | undefined, keyword: string): string[] =>
  (stage?.instructions ?? []).filter((i) => i.keyword === keyword).map((i) => i.args);
const runSteps = (stage: Stage | undefined): string[] => all(stage, 'RUN').flatMap((cmd) => cmd.split('&&').map((s) => s.trim()));
const image = (stage: Stage | undefined): string =>
  (stage?.from ?? '').replace(/\$\{(\w+)\}/g, (_, name: string) => dockerfile.args.get(name) ?? '');

describe('Dockerfile', () => {
  it('builds in one stage and runs from a slim current Node LTS image in another', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
    expect(buildStage?.name).toBe('build');
    for (const stage of [buildStage, runtimeStage]) {
      const match = /^node:(\d+)-bookworm-slim$/.exec(image(stage));
      expect(match, image(stage)).not.toBeNull();
      const major = Number(match?.[1]);
      expect(major % 2, 'Node LTS lines are the even ones').toBe(0);
      expect(major).toBeGreaterThanOrEqual(22);
    }
  });

  it('the build stage installs the toolchain for better-sqlite3, npm ci, npm run build, then drops dev dependencies', () => {
    const steps = runSteps(buildStage);
    expect(steps.find((s) => s.startsWith('apt-get install'))).toMatch(/--no-install-recommends python3 make g\+\+/);
    // prepare (the build) needs src/, copied later: npm ci skips scripts, better-sqlite3's runs alone.
    const order = ['npm ci --ignore-scripts', 'npm rebuild better-sqlite3', 'npm run build', 'npm prune --omit=dev'].map((cmd) => steps.indexOf(cmd));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('the runtime stage runs dist/main.js as the non-root node user, with /data, port 8080 on every interface and a /healthz check', () => {
    expect(all(runtimeStage, 'USER').at(-1)).toBe('node');
    expect(all(runtimeStage, 'VOLUME')).toContain('/data');
    expect(all(runtimeStage, 'EXPOSE')).toEqual(['8080']);
    const env = all(runtimeStage, 'ENV').join(' ');
    expect(env).toContain('NODE_ENV=production');
    expect(env).toContain('DATABASE_PATH=/data/soop-alerts.db');
    expect(env).toContain('HTTP_PORT=8080');
    expect(env).toContain('HTTP_HOST=0.0.0.0');
    expect(env).toContain('SOOP_ALERTS_CONTAINER=1');
    const healthcheck = all(runtimeStage, 'HEALTHCHECK').at(0) ?? '';
    expect(healthcheck).toMatch(/ CMD \["node", "dist\/healthcheck\.js"\]$/);
    expect(all(runtimeStage, 'CMD')).toEqual(['["node", "dist/main.js"]']);
    expect(all(runtimeStage, 'WORKDIR')).toEqual(['/app']);
    // The data directory is created and handed to `node` before the image drops root.
    const steps = runSteps(runtimeStage);
    expect(steps).toContain('chown node:node /data');
  });

  it('the runtime stage takes package.json (for "type": "module"), node_modules and dist from the build stage', () => {
    const copies = all(runtimeStage, 'COPY');
    for (const path of ['package.json', 'node_modules', 'dist']) {
      expect(copies.some((c) => c.startsWith('--from=build ') && c.includes(`/app/${path} `))).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).type).toBe('module');
  });
});

describe('the Dockerfile build stage, replayed', () => {
  const context = mkdtempSync(join(tmpdir(), 'soop-docker-'));
  afterAll(() => rmSync(context, { recursive: true, force: true }));

  const ignored = readFileSync(join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const isIgnored = (path: string): boolean => {
    let result = false;
    for (const pattern of ignored) {
      const negated = pattern.startsWith('!');
      const glob = negated ? pattern.slice(1) : pattern;
      const regex = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}(/.*)?$`);
      if (regex.test(path)) result = !negated;
    }
    return result;
  };

  it('produces the dist/main.js that CMD runs and the dist/healthcheck.js that HEALTHCHECK runs, needing only production dependencies', async () => {
    const workdir = all(buildStage, 'WORKDIR').at(0);
    expect(workdir).toBe('/app');
    for (const copy of all(buildStage, 'COPY')) {
      const parts = copy.split(/\s+/);
      const dest = parts.pop() ?? '';
      for (const source of parts) {
        expect(isIgnored(source), `${source} is copied but .dockerignore excludes it`).toBe(false);
        cpSync(join(root, source), join(context, dest.endsWith('/') ? source : dest), {
          recursive: true,
          filter: (from) => !isIgnored(relative(root, from)),
        });
      }
    }
    // `npm ci` from the same lockfile gives the node_modules this checkout has; link it instead.
    expect(existsSync(join(context, 'package-lock.json'))).toBe(true);
    symlinkSync(join(root, 'node_modules'), join(context, 'node_modules'), 'dir');

    const build = runSteps(buildStage).find((s) => s.startsWith('npm run build'));
    expect(build).toBe('npm run build');
    await run('npm', ['run', 'build'], { cwd: context });

    expect(existsSync(join(context, 'dist', 'main.js'))).toBe(true);
    expect(existsSync(join(context, 'dist', 'healthcheck.js'))).toBe(true);

    const pkg = JSON.parse(readFileSync(join(context, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    const allowed = new Set([...Object.keys(pkg.dependencies ?? {}), ...builtinModules]);
    const needed = new Set<string>();
    const files = readdirSync(join(context, 'dist'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    for (const file of files) {
      const code = readFileSync(join(context, 'dist', file), 'utf8');
      for (const m of code.matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm)) {
        const spec = m[1] ?? m[2] ?? m[3] ?? '';
        if (spec.startsWith('.') || spec.startsWith('node:')) continue;
        needed.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec));
      }
    }
    expect(needed.size).toBeGreaterThan(0);
    expect([...needed].filter((name) => !allowed.has(name))).toEqual([]);
  }, 60_000);
});
