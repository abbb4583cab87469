import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BrowserContext, chromium, Locator, Page } from 'playwright-core';
import YAML from 'yaml';
import { MeshSandbox, startMeshSandbox } from '@internal/mesh-sandbox';
import {
  freeLoopbackPort,
  ProcessGroup,
  spawnProcessGroup,
  waitUntil,
} from './processes';

/*
 * The portal as a user sees it: the built app served by the backend (app-backend), the backend
 * reading the mesh sandbox's Kong Admin APIs, Chromium opening an entity's Mesh tab.
 */

const repoRoot = path.resolve(__dirname, '../../..');
const appIndexHtml = path.join(repoRoot, 'packages/app/dist/index.html');
const chromiumPath = '/usr/bin/chromium';
const resultsDir = path.join(repoRoot, 'test-results');
const suiteTimeoutMs = 180_000;
const viewport = { width: 1440, height: 1000 };

const missingPrerequisites = [
  fs.existsSync(appIndexHtml)
    ? undefined
    : `${appIndexHtml} (run: yarn workspace app build)`,
  fs.existsSync(chromiumPath)
    ? undefined
    : `${chromiumPath} (run: apt-get install chromium)`,
].filter((item): item is string => item !== undefined);

const skipSuite = missingPrerequisites.length > 0 && !process.env.CI;
if (skipSuite) {
  // eslint-disable-next-line no-console
  console.warn(
    `\n*** SKIPPING the portal browser test: missing ${missingPrerequisites.join(
      ' and ',
    )}. In CI this is a failure. ***\n`,
  );
}

(skipSuite ? describe.skip : describe)('the portal on the mesh sandbox', () => {
  let workDir: string;
  let backendLog: string;
  let sandbox: MeshSandbox | undefined;
  let backend: ProcessGroup | undefined;
  let browser: BrowserContext | undefined;
  let baseUrl: string;

  beforeAll(async () => {
    if (missingPrerequisites.length > 0) {
      throw new Error(
        `The portal browser test needs ${missingPrerequisites.join(' and ')}`,
      );
    }
    fs.mkdirSync(resultsDir, { recursive: true });
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-gateway-e2e-'));
    backendLog = path.join(resultsDir, 'e2e-backend.log');
    fs.writeFileSync(backendLog, '');

    sandbox = await startMeshSandbox({
      kong: { oss: { port: 0 }, enterprise: { port: 0 } },
      kubernetes: { port: 0 },
      jaeger: { port: 0 },
    });
    const { oss, enterprise } = sandbox.kong;
    if (!oss || !enterprise) {
      throw new Error('the sandbox did not start both Kong instances');
    }

    const backendPort = await freeLoopbackPort();
    baseUrl = `http://127.0.0.1:${backendPort}`;
    const e2eConfig = path.join(workDir, 'app-config.e2e.yaml');
    fs.writeFileSync(
      e2eConfig,
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
                  url: sandbox.kubernetes!.url,
                  authProvider: 'serviceAccount',
                  serviceAccountToken: sandbox.kubernetes!.token,
                  skipTLSVerify: true,
                  skipMetricsLookup: true,
                },
              ],
            },
          ],
        },
        meshGateway: {
          tracing: {
            gatewayServiceNames: ['kong', 'kong-gateway'],
            instances: [
              { name: 'default', kind: 'jaeger-v3', baseUrl: sandbox.jaeger!.url, uiUrl: sandbox.jaeger!.url },
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

    // `yarn workspace backend start` as a developer runs it; NODE_ENV is jest's `test` here, and
    // the backend start command picks `development` when it is unset.
    const { NODE_ENV: _jestNodeEnv, ...env } = process.env;
    backend = spawnProcessGroup(
      'yarn',
      [
        'workspace',
        'backend',
        'start',
        '--config',
        path.join(repoRoot, 'app-config.yaml'),
        '--config',
        e2eConfig,
      ],
      { cwd: repoRoot, env, logFile: backendLog },
    );

    await waitUntil(
      'backend readiness',
      async () => {
        const response = await fetch(
          `${baseUrl}/.backstage/health/v1/readiness`,
        );
        return response.ok ? true : undefined;
      },
      backend,
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
      backend,
      backendLog,
    );

    browser = await chromium.launchPersistentContext(
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
  }, suiteTimeoutMs);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await backend?.stop();
    await sandbox?.close();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  }, 60_000);

  /** Opens a tab of a component's page, entering as the guest when the sign-in page asks. */
  async function open(component: string, tab = ''): Promise<Page> {
    const page = await browser!.newPage();
    await page.goto(`${baseUrl}/catalog/default/component/${component}${tab}`);
    const enter = page.getByRole('button', { name: 'Enter' });
    const entityTitle = page.getByRole('heading', { name: component });
    await enter.or(entityTitle).first().waitFor({ timeout: 60_000 });
    if (await enter.isVisible()) {
      await enter.click();
    }
    await entityTitle.waitFor({ timeout: 60_000 });
    return page;
  }

  /**
   * Saves a screenshot of the whole page. Backstage scrolls inside its content area, not the
   * document, so the viewport is first made as tall as the tallest scrolling element.
   */
  async function screenshotWholePage(page: Page, file: string) {
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

  /** Runs `check` on `page`, then saves a screenshot, whether the check passed or not. */
  async function checkAndScreenshot(
    page: Page,
    file: string,
    check: () => Promise<void>,
  ) {
    try {
      await check();
    } finally {
      await screenshotWholePage(page, file);
    }
  }

  /**
   * The innermost element that holds both `title` and `content`: the card with that title (an
   * ancestor comes before its descendants in document order, so the last match is the deepest).
   */
  function cardOf(page: Page, title: string, content: Locator): Locator {
    return page
      .locator('div')
      .filter({ has: page.getByText(title, { exact: true }) })
      .filter({ has: content })
      .last();
  }

  it(
    'shows the Kong route of ai-agent-service on its Mesh tab',
    async () => {
      const page = await open('ai-agent-service', '/mesh');
      await checkAndScreenshot(page, 'mesh-tab.png', async () => {
        const routeRow = page
          .getByRole('row')
          .filter({ hasText: '/api/v1/ai-agent' });
        const routesCard = cardOf(page, 'Kong routes', routeRow);
        await routesCard.waitFor({ timeout: 60_000 });

        const route = routesCard.getByRole('row').filter({
          has: page.getByText('/api/v1/ai-agent', { exact: true }),
        });
        expect(await route.count()).toBe(1);
        expect(await route.getByText('GET', { exact: true }).count()).toBe(1);
        expect(await route.getByText('POST', { exact: true }).count()).toBe(1);
      });
    },
    suiteTimeoutMs,
  );

  it(
    'shows the Istio policies and traces of user-service with its demo fault',
    async () => {
      const page = await open('user-service', '/mesh');
      await checkAndScreenshot(page, 'mesh-tab-user-service.png', async () => {
        const mtls = page.getByText('PERMISSIVE', { exact: true }).first();
        const istioCard = cardOf(page, 'Istio policies', mtls);
        await istioCard.waitFor({ timeout: 60_000 });
        // The workload policy over the namespace's STRICT one, and the finding that says so.
        expect(await istioCard.getByText(/user-service-legacy-clients/).count()).toBeGreaterThan(0);
        expect(await istioCard.getByText('MG-ISTIO-001').count()).toBeGreaterThan(0);
        const tracesCard = cardOf(page, 'Traces', page.getByText(/P95/).first());
        await tracesCard.waitFor({ timeout: 60_000 });
        await page.getByText('Service graph', { exact: true }).first().waitFor({ timeout: 60_000 });
      });
      // The top of the tab, for the README.
      await page.screenshot({
        path: path.join(resultsDir, 'mesh-tab-user-service-top.png'),
        clip: { x: 0, y: 0, width: viewport.width, height: 2300 },
      });
    },
    suiteTimeoutMs,
  );

  it(
    'shows the Kong summary on the overview of ai-agent-service',
    async () => {
      const page = await open('ai-agent-service');
      await checkAndScreenshot(page, 'overview.png', async () => {
        const kongSummary = page.getByText(/1 route on 1 service/);
        const summaryCard = cardOf(page, 'Open the Mesh tab', kongSummary);
        await summaryCard.waitFor({ timeout: 60_000 });
        expect(
          await summaryCard.getByText('Kong', { exact: false }).count(),
        ).toBeGreaterThan(0);
        // The catalog graph has drawn the entity's relations.
        await page
          .getByText('apiProvidedBy', { exact: false })
          .first()
          .waitFor({ timeout: 60_000 });
      });
    },
    suiteTimeoutMs,
  );

  it(
    'tells how to configure a component without mesh-gateway annotations',
    async () => {
      const page = await open('legacy-batch-job', '/mesh');
      await checkAndScreenshot(
        page,
        'mesh-tab-not-configured.png',
        async () => {
          await page
            .getByText('mesh-gateway.io/kong-services')
            .first()
            .waitFor({ timeout: 60_000 });
          expect(
            await page.getByText('Kong routes', { exact: true }).count(),
          ).toBe(0);
        },
      );
    },
    suiteTimeoutMs,
  );
});
