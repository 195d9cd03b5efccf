/**
 * How a test file that needs PostgreSQL declares its suite: `describe` when the binaries are
 * installed; otherwise, in CI, a suite that fails (CI must run them: .ci/run installs PostgreSQL),
 * and on a developer's machine a skip with a warning.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPostgresBinDir, startPgCluster, type PgCluster } from './pg-cluster.js';

export function pgSuite(what: string): typeof describe | typeof describe.skip {
  if (findPostgresBinDir()) return describe;
  if (process.env.CI === 'true') {
    describe(what, () => {
      it('has PostgreSQL to run against', () => {
        expect.fail("PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/initdb): .ci/run should have installed Debian's postgresql package.");
      });
    });
  } else {
    console.warn(`PostgreSQL is not installed: skipping ${what}. \`apt-get install postgresql\` runs them.`);
  }
  return describe.skip;
}

/**
 * A throwaway PostgreSQL for the enclosing suite: started before its tests, stopped after them
 * (after the suite's other afterAll hooks, which run first). Returns the running cluster.
 */
export function usePgCluster(): () => PgCluster {
  let cluster: PgCluster | undefined;
  beforeAll(async () => {
    cluster = await startPgCluster(findPostgresBinDir() ?? '');
  }, 60_000);
  afterAll(() => cluster?.stop());
  return () => {
    if (!cluster) throw new Error('the PostgreSQL test cluster did not start');
    return cluster;
  };
}
