import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import YAML from 'yaml';
import {
  KongDataset,
  MeshSandbox,
  startMeshSandbox,
} from '@internal/mesh-sandbox';
import {
  freeLoopbackPort,
  ProcessGroup,
  spawnProcessGroup,
  waitUntil,
} from './processes';

/*
 * The portal as a user sees it: the built app served by the backend (app-backend), the backend
 * reading the mesh sandbox's Kong Admin APIs, Kubernetes API and Jaeger, Chromium in front.
 */

const repoRoot = path.resolve(__dirname, '../../..');
const appIndexHtml = path.join(repoRoot, 'packages/app/dist/index.html');
const chromiumPath = '/usr/bin/chromium';

/** Where screenshots and the backend's log go. */
export const resultsDir = path.join(repoRoot, 'test-results');
export const viewport = { width: 1440, height: 1000 };

/** What the portal needs that this package cannot provide, with how to get it. */
export const missingPortalPrerequisites: string[] = [
  fs.existsSync(appIndexHtml)
    ? undefined
    : `${appIndexHtml} (run: yarn workspace app build)`,
  fs.existsSync(chromiumPath)
    ? undefined
    : `${chromiumPath} (run: apt-get install chromium)`,
].filter((item): item is string => item !== undefined);

export interface PortalOptions {
  /** The dataset of the Kong OSS instance (`default`); the ADR's services when unset. */
  kongDataset?: KongDataset;
  /** File name of the backend's log in test-results/. */
  backendLogName?: string;
}

export interface Portal {
  /** The backend's (and so the app's) base URL. */
  baseUrl: string;
  browser: BrowserContext;
  /** Opens a tab of a component's page, entering as the guest when the sign-in page asks. */
  open(component: string, tab?: string): Promise<Page>;
  /** Saves a screenshot of the whole page to test-results/`file`. */
  screenshotWholePage(page: Page, file: string): Promise<void>;
  /** Stops Chromium, the backend (its whole process group) and the sandbox. */
  close(): Promise<void>;
}

function writeBackendConfig(
  file: string,
  baseUrl: string,
  backendPort: number,
  sandbox: MeshSandbox,
) {
  const { oss, enterprise } = sandbox.kong;
  if (!oss || !enterprise || !sandbox.kubernetes || !sandbox.jaeger) {
    throw new Error('the sandbox did not start every server the portal reads');
  }
  fs.writeFileSync(
    file,
    YAML.stringify({
      app: { baseUrl },
      backend: {
        baseUrl,
        listen: { host: '127.0.0.1', port: backendPort },
        cors: { origin: baseUrl },
      },
      kubernetes: {
        serviceLocatorMethod: { type: 'multiTenant' },
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'sandbox',
                url: sandbox.kubernetes.url,
                authProvider: 'serviceAccount',
                serviceAccountToken: sandbox.kubernetes.token,
                skipTLSVerify: true,
                skipMetricsLookup: true,
              },
            ],
          },
        ],
      },
      meshGateway: {
        certificates: {
          probe: {
            allowedHosts: ['*.parallel-ai.example.com'],
            caBundleFile: sandbox.tls!.caFile,
            connectTo: [{ host: '*.parallel-ai.example.com', address: '127.0.0.1', port: sandbox.tls!.port }],
          },
        },
        prometheus: {
          instances: [{ name: 'sandbox', url: sandbox.prometheus!.url, scrapeIntervalSeconds: 30 }],
        },
        tracing: {
          gatewayServiceNames: ['kong', 'kong-gateway'],
          instances: [
            {
              name: 'default',
              kind: 'jaeger-v3',
              baseUrl: sandbox.jaeger.url,
              uiUrl: sandbox.jaeger.url,
            },
          ],
        },
        kong: {
          // Replaces the list of app-config.yaml (arrays are not merged).
          instances: [
            { name: 'default', adminUrl: oss.url, timeoutMs: 5000 },
            {
              name: 'platform-ee',
              adminUrl: enterprise.url,
              workspace: enterprise.workspace,
              authHeaderName: enterprise.authHeader,
              authToken: enterprise.adminToken,
              managerUrl: `${enterprise.url}/manager`,
            },
          ],
        },
      },
    }),
  );
}

/**
 * Starts, on free loopback ports, the mesh sandbox, the backend as a developer starts it
 * (`yarn workspace backend start`) serving the built app, and headless Chromium with a fresh
 * profile. Resolves once the example entities are in the catalog. Whatever started is stopped
 * again when a later step fails.
 */
export async function startPortal(options: PortalOptions = {}): Promise<Portal> {
  if (missingPortalPrerequisites.length > 0) {
    throw new Error(
      `The portal needs ${missingPortalPrerequisites.join(' and ')}`,
    );
  }
  fs.mkdirSync(resultsDir, { recursive: true });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-gateway-e2e-'));
  const backendLog = path.join(
    resultsDir,
    options.backendLogName ?? 'e2e-backend.log',
  );
  fs.writeFileSync(backendLog, '');

  let sandbox: MeshSandbox | undefined;
  let backend: ProcessGroup | undefined;
  let browser: BrowserContext | undefined;
  const close = async () => {
    await browser?.close().catch(() => {});
    await backend?.stop();
    await sandbox?.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  };

  try {
    sandbox = await startMeshSandbox({
      kong: {
        oss: { port: 0, dataset: options.kongDataset },
        enterprise: { port: 0 },
      },
      kubernetes: { port: 0 },
      jaeger: { port: 0 },
      // Fails when Prometheus is not installed: the tests need it (scripts/test installs it).
      prometheus: { enabled: true, port: 0 },
      // The backend config below points caBundleFile at this same file; it goes with workDir.
      tls: { port: 0, caFile: path.join(workDir, 'tls-ca.pem') },
    });

    const backendPort = await freeLoopbackPort();
    const baseUrl = `http://127.0.0.1:${backendPort}`;
    const backendConfig = path.join(workDir, 'app-config.e2e.yaml');
    writeBackendConfig(backendConfig, baseUrl, backendPort, sandbox);

    // `yarn workspace backend start` as a developer runs it; NODE_ENV is jest's `test` here, and
    // the backend start command picks `development` when it is unset.
    const { NODE_ENV: _jestNodeEnv, ...env } = process.env;
    const started = spawnProcessGroup(
      'yarn',
      [
        'workspace',
        'backend',
        'start',
        '--config',
        path.join(repoRoot, 'app-config.yaml'),
        '--config',
        backendConfig,
      ],
      { cwd: repoRoot, env, logFile: backendLog },
    );
    backend = started;

    await waitUntil(
      'backend readiness',
      async () => {
        const response = await fetch(
          `${baseUrl}/.backstage/health/v1/readiness`,
        );
        return response.ok ? true : undefined;
      },
      started,
      backendLog,
    );

    // The catalog reads examples/*.yaml after start-up; wait until the entity is there, asking
    // as the guest the browser will be.
    await waitUntil(
      'the example entities in the catalog',
      async () => {
        const session = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
          headers: { 'X-Requested-With': 'XMLHttpRequest' },
        });
        if (!session.ok) return undefined;
        const { backstageIdentity } = await session.json();
        const entity = await fetch(
          `${baseUrl}/api/catalog/entities/by-name/component/default/ai-agent-service`,
          { headers: { Authorization: `Bearer ${backstageIdentity.token}` } },
        );
        return entity.ok ? true : undefined;
      },
      started,
      backendLog,
    );

    const context = await chromium.launchPersistentContext(
      path.join(workDir, 'chromium-profile'),
      {
        executablePath: chromiumPath,
        headless: true,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
        viewport,
      },
    );
    browser = context;

    return {
      baseUrl,
      browser: context,
      async open(component, tab = '') {
        const page = await context.newPage();
        await page.goto(
          `${baseUrl}/catalog/default/component/${component}${tab}`,
        );
        const enter = page.getByRole('button', { name: 'Enter' });
        const entityTitle = page.getByRole('heading', { name: component });
        await enter.or(entityTitle).first().waitFor({ timeout: 60_000 });
        if (await enter.isVisible()) {
          await enter.click();
        }
        await entityTitle.waitFor({ timeout: 60_000 });
        return page;
      },
      screenshotWholePage,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Saves a screenshot of the whole page. Backstage scrolls inside its content area, not the
 * document, so the viewport is first made as tall as the tallest scrolling element.
 */
async function screenshotWholePage(page: Page, file: string): Promise<void> {
  const height = await page.evaluate(() =>
    Math.max(
      ...Array.from(document.querySelectorAll('*'), e => e.scrollHeight),
    ),
  );
  await page.setViewportSize({
    width: viewport.width,
    height: Math.min(Math.max(height, viewport.height), 8000),
  });
  await page.screenshot({
    path: path.join(resultsDir, file),
    fullPage: true,
  });
}
