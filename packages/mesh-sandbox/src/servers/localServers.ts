import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A loopback port that was free a moment ago. */
/** @public */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise(resolve => probe.close(resolve));
  return port;
}

/**
 * Local PostgreSQL and Redis servers from Debian's packages, started on loopback ports for tests
 * that need the real thing (Backstage's database and cache), and stopped by them.
 */

/**
 * Whether a server binary is there. In CI a missing binary fails the test that needs it;
 * elsewhere the test is skipped with a loud warning.
 */
export function requireBinary(binary: string, debianPackage: string): boolean {
  if (fs.existsSync(binary)) return true;
  const message = `${binary} is missing: install it with "apt-get install ${debianPackage}"`;
  if (process.env.CI) throw new Error(message);
  // eslint-disable-next-line no-console
  console.warn(`\n*** SKIPPED: ${message} ***\n`);
  return false;
}

function waitForOutput(child: ChildProcess, pattern: RegExp, what: string, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', code => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}:\n${output}`));
    });
  });
}

export interface RunningServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

function stopper(child: ChildProcess, cleanup: () => void = () => {}) {
  return async () => {
    if (child.exitCode === null) {
      const exited = new Promise(resolve => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    cleanup();
  };
}

/**
 * A throwaway redis-server on loopback, without persistence. It lives until the test process
 * exits: Backstage's cache clients stay connected after a test backend stops, and a server going
 * away under them is reported as an unhandled error.
 */
export async function startRedis(): Promise<RunningServer> {
  const port = await freePort();
  // The shell stops redis when its stdin closes, i.e. when this process ends however it ends.
  const child = spawn(
    'sh',
    ['-c', `/usr/bin/redis-server --port ${port} --bind 127.0.0.1 --save '' --appendonly no & pid=$!; cat >/dev/null; kill $pid`],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  await waitForOutput(child, /Ready to accept connections/, 'redis-server');
  child.stdout?.destroy();
  child.stderr?.destroy();
  (child.stdin as unknown as { unref?: () => void } & { _handle?: { unref(): void } })._handle?.unref();
  child.unref();
  return { url: `redis://127.0.0.1:${port}`, port, stop: async () => {} };
}

const PG_BIN = '/usr/lib/postgresql/15/bin';

/**
 * A throwaway PostgreSQL cluster on loopback (initdb into a temp dir, trust auth). PostgreSQL
 * refuses to run as root, so as root it runs as the `postgres` user the Debian package creates.
 */
export async function startPostgres(): Promise<RunningServer & { connection: { host: string; port: number; user: string; password: string } }> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-gateway-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]) as [string, string[]];
  if (asRoot) fs.chownSync(dir, Number(spawnSync('id', ['-u', 'postgres']).stdout.toString().trim()), Number(spawnSync('id', ['-g', 'postgres']).stdout.toString().trim()));
  const init = spawnSync(...run(`${PG_BIN}/initdb`, ['-D', path.join(dir, 'data'), '--auth=trust', '-U', 'postgres', '--no-sync']), { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const child = spawn(...run(`${PG_BIN}/postgres`, ['-D', path.join(dir, 'data'), '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-k', dir, '-c', 'fsync=off']), { stdio: 'pipe' });
  await waitForOutput(child, /database system is ready to accept connections/, 'postgres');
  return {
    url: `postgres://postgres@127.0.0.1:${port}`,
    port,
    connection: { host: '127.0.0.1', port, user: 'postgres', password: '' },
    stop: stopper(child, () => fs.rmSync(dir, { recursive: true, force: true })),
  };
}
