import path from 'node:path';
import { Locator, Page } from 'playwright-core';
import {
  missingPortalPrerequisites,
  Portal,
  resultsDir,
  startPortal,
  viewport,
} from './portal';

/*
 * The portal as a user sees it: the built app served by the backend (app-backend), the backend
 * reading the mesh sandbox's Kong Admin APIs, Chromium opening an entity's Mesh tab.
 */

const suiteTimeoutMs = 180_000;

const skipSuite = missingPortalPrerequisites.length > 0 && !process.env.CI;
if (skipSuite) {
  // eslint-disable-next-line no-console
  console.warn(
    `\n*** SKIPPING the portal browser test: missing ${missingPortalPrerequisites.join(
      ' and ',
    )}. In CI this is a failure. ***\n`,
  );
}

(skipSuite ? describe.skip : describe)('the portal on the mesh sandbox', () => {
  let portal: Portal | undefined;

  beforeAll(async () => {
    portal = await startPortal();
  }, suiteTimeoutMs);

  afterAll(async () => {
    await portal?.close();
  }, 60_000);

  function open(component: string, tab?: string): Promise<Page> {
    if (!portal) throw new Error('the portal did not start');
    return portal.open(component, tab);
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
      await portal!.screenshotWholePage(page, file);
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
        const tracesCard = cardOf(page, 'Traces', page.getByText('Slowest operations').first());
        await tracesCard.waitFor({ timeout: 60_000 });
        // The service graph has drawn the edge from the gateway with its call count.
        await page.getByText(/^\d+ calls$/).first().waitFor({ timeout: 60_000 });
        await page.getByText('Service graph', { exact: true }).first().waitFor({ timeout: 60_000 });
        await page.getByText('Golden signals', { exact: true }).first().waitFor({ timeout: 60_000 });
        // The live probe of users.parallel-ai.example.com reports the wrong-host certificate.
        await page.getByText(/users\.parallel-ai\.example\.com/).first().waitFor({ timeout: 60_000 });
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
