import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  MeshSandbox,
  requireBinary,
  RunningServer,
  startMeshSandbox,
  startPostgres,
  startRedis,
} from '@internal/mesh-sandbox';
import YAML from 'yaml';
import { freeLoopbackPort, ProbeFailed, ProcessGroup, spawnProcessGroup, waitUntil } from './processes';

/**
 * The backend with app-config.production.yaml: PostgreSQL as the database and Redis as the cache,
 * both real servers from Debian started here, every upstream value from the environment.
 */
const repoRoot = path.resolve(__dirname, '../../..');
const resultsDir = path.join(repoRoot, 'test-results');
const ready =
  requireBinary('/usr/lib/postgresql/15/bin/postgres', 'postgresql') &&
  requireBinary('/usr/bin/redis-server', 'redis-server');

(ready ? describe : describe.skip)('the backend on PostgreSQL and Redis (app-config.production.yaml)', () => {
  let postgres: RunningServer & { connection: { host: string; port: number; user: string } };
  let redis: RunningServer;
  let sandbox: MeshSandbox;
  let backend: ProcessGroup | undefined;
  let baseUrl: string;
  const token = `e2e-${Math.random().toString(36).slice(2)}`;
  const log = path.join(resultsDir, 'e2e-production-backend.log');

  beforeAll(async () => {
    fs.mkdirSync(resultsDir, { recursive: true });
    fs.writeFileSync(log, '');
    [postgres, redis, sandbox] = await Promise.all([
      startPostgres(),
      startRedis(),
      startMeshSandbox({ kong: { oss: { port: 0 }, enterprise: { port: 0 } }, kubernetes: { port: 0 }, jaeger: { enabled: false }, prometheus: { enabled: false }, tls: { enabled: false } }),
    ]);
    const port = await freeLoopbackPort();
    baseUrl = `http://127.0.0.1:${port}`;
    const override = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-gateway-prod-')), 'app-config.test.yaml');
    fs.writeFileSync(
      override,
      YAML.stringify({
        backend: {
          listen: { host: '127.0.0.1', port },
          // Service-to-service access for this test, as another plugin or a script would call.
          auth: { externalAccess: [{ type: 'static', options: { token, subject: 'production-test' } }] },
        },
        // The production file's template location is relative to the repository root, where the
        // container image starts the backend; `yarn workspace backend start` runs in packages/backend.
        catalog: {
          locations: [
            { type: 'file', target: path.join(repoRoot, 'examples/entities.yaml') },
            { type: 'file', target: path.join(repoRoot, 'templates/new-api/template.yaml'), rules: [{ allow: ['Template'] }] },
          ],
        },
        // The sandbox cluster speaks plain HTTP; a real cluster uses caData (the production file).
        kubernetes: {
          serviceLocatorMethod: { type: 'multiTenant' },
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [{ name: 'sandbox', url: sandbox.kubernetes!.url, authProvider: 'serviceAccount', serviceAccountToken: sandbox.kubernetes!.token, skipTLSVerify: true, skipMetricsLookup: true }],
            },
          ],
        },
      }),
    );
    const { NODE_ENV: _jest, ...env } = process.env;
    const enterprise = sandbox.kong.enterprise!;
    backend = spawnProcessGroup(
      'yarn',
      ['workspace', 'backend', 'start', '--config', path.join(repoRoot, 'app-config.yaml'), '--config', path.join(repoRoot, 'app-config.production.yaml'), '--config', override],
      {
        cwd: repoRoot,
        logFile: log,
        env: {
          ...env,
          BACKSTAGE_BASE_URL: baseUrl,
          POSTGRES_HOST: postgres.connection.host,
          POSTGRES_PORT: String(postgres.connection.port),
          POSTGRES_USER: postgres.connection.user,
          POSTGRES_PASSWORD: 'unused-trust-auth',
          REDIS_URL: redis.url,
          KONG_ADMIN_URL: sandbox.kong.oss!.url,
          KONG_ADMIN_API_KEY: 'unused-by-oss',
          KONG_EE_ADMIN_URL: enterprise.url,
          KONG_EE_WORKSPACE: enterprise.workspace,
          KONG_EE_ADMIN_TOKEN: enterprise.adminToken,
          KONG_EE_MANAGER_URL: `${enterprise.url}/manager`,
        },
      },
    );
    await waitUntil(
      'backend readiness',
      async () => {
        // A backend whose plugins fail to start stays up in dev mode: fail on what it logged.
        const failure = /Backend startup failed[^\n]*/.exec(fs.readFileSync(log, 'utf8'));
        if (failure) throw new ProbeFailed(`the backend did not start: ${failure[0]}`);
        return (await fetch(`${baseUrl}/.backstage/health/v1/readiness`)).ok ? true : undefined;
      },
      backend,
      log,
    );
  }, 240_000);

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.close();
    await postgres?.stop();
    await redis?.stop();
  });

  const api = (p: string) => fetch(`${baseUrl}${p}`, { headers: { Authorization: `Bearer ${token}` } });

  it('keeps the catalog in PostgreSQL', async () => {
    const entity = await waitUntil(
      'the example entities in the catalog',
      async () => {
        const res = await api('/api/catalog/entities/by-name/component/default/user-service');
        return res.ok ? res.json() : undefined;
      },
      backend!,
      log,
    );
    expect(entity.metadata.name).toBe('user-service');
    const templates = await waitUntil(
      'the New API template in the catalog',
      async () => {
        const res = await api('/api/catalog/entities?filter=kind=template');
        const items = res.ok ? ((await res.json()) as { metadata: { name: string } }[]) : [];
        return items.length > 0 ? items : undefined;
      },
      backend!,
      log,
    );
    expect(templates.map(t => t.metadata.name)).toEqual(['new-api-kong-istio']);
    const databases = spawnSync('psql', ['-h', '127.0.0.1', '-p', String(postgres.port), '-U', 'postgres', '-Atc', 'SELECT datname FROM pg_database'], { encoding: 'utf8' });
    expect(databases.stdout).toMatch(/catalog/);
  }, 120_000);

  it('caches mesh-gateway sections in Redis', async () => {
    const path_ = '/api/mesh-gateway/v1/entities/default/component/user-service/kong';
    const first = await api(`${path_}?refresh=true`);
    expect(first.status).toBe(200);
    expect((await first.json()).status).toBe('ok');
    const second = await api(path_);
    expect(second.headers.get('x-mesh-gateway-cache')).toBe('hit');
    const keys = spawnSync('redis-cli', ['-p', String(redis.port), '--scan'], { encoding: 'utf8' });
    // Backstage namespaces cache keys by plugin and stores them base64-encoded.
    const decoded = keys.stdout
      .split('\n')
      .filter(k => k.startsWith('mesh-gateway:'))
      .map(k => Buffer.from(k.slice('mesh-gateway:'.length), 'base64').toString('utf8'));
    expect(decoded).toContainEqual(expect.stringMatching(/^section:kong:component:default\/user-service:/));
  }, 60_000);
});
