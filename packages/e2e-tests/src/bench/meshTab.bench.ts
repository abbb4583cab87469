import {
  buildAdrKongDataset,
  KongDatasetBuilder,
} from '@internal/mesh-sandbox';
import {
  BenchRow,
  recordBench,
} from '../../../../plugins/mesh-gateway-backend/src/bench/results';
import { missingPortalPrerequisites, Portal, startPortal } from '../portal';

/**
 * `yarn bench`: the Mesh tab of ai-agent-service in Chromium, its Kong service carrying 1,000
 * routes. Each visit is a fresh page of a signed-in browser; the first visit finds the backend
 * cold (nothing read from Kong yet), the later ones find its caches warm.
 */
const ROUTES = 1_000;
const VISITS = 5;
const ROUTE_PREFIX = '/api/v1/ai-agent';
const timeoutMs = 600_000;

function kongDatasetWithRoutes() {
  const builder = KongDatasetBuilder.from(buildAdrKongDataset());
  for (let i = 0; i < ROUTES; i++) {
    builder.addRoute({
      name: `bench-${i}`,
      service: { name: 'ai-agent-service' },
      paths: [`${ROUTE_PREFIX}/bench/${i}`],
      methods: ['GET'],
      protocols: ['https'],
    });
  }
  return builder.build();
}

declare global {
  interface Window {
    /** `performance.now()` of the frame after the first Kong route row entered the DOM. */
    firstRouteRowAt?: number;
  }
}

/** Runs in the page before any of its scripts: notes when the first route row is painted. */
function observeFirstRouteRow(prefix: string) {
  const observer = new MutationObserver(() => {
    const row = Array.from(document.querySelectorAll('tr')).find(tr =>
      tr.textContent?.includes(prefix),
    );
    if (!row) return;
    observer.disconnect();
    requestAnimationFrame(() => {
      window.firstRouteRowAt = performance.now();
    });
  });
  observer.observe(document, { childList: true, subtree: true });
}

interface Visit {
  /** From navigation start to the first route row painted, by the page's clock. */
  firstRowMs: number;
  firstContentfulPaintMs: number;
  /** From `page.goto` to the row visible to playwright, by this process's clock. */
  wallMs: number;
}

async function visitMeshTab(portal: Portal): Promise<Visit> {
  const page = await portal.browser.newPage();
  try {
    await page.addInitScript(observeFirstRouteRow, ROUTE_PREFIX);
    const started = Date.now();
    await page.goto(
      `${portal.baseUrl}/catalog/default/component/ai-agent-service/mesh`,
    );
    await page
      .getByRole('row')
      .filter({ hasText: ROUTE_PREFIX })
      .first()
      .waitFor({ timeout: 120_000 });
    const wallMs = Date.now() - started;
    const firstRowMs = await page
      .waitForFunction(() => window.firstRouteRowAt)
      .then(handle => handle.jsonValue() as Promise<number>);
    const firstContentfulPaintMs = await page.evaluate(
      () =>
        performance.getEntriesByName('first-contentful-paint')[0]?.startTime ??
        Number.NaN,
    );
    // The table pages its rows; its title counts them all (the ADR's route and the bench ones).
    const title = `${ROUTES + 1} routes`;
    if ((await page.getByText(title, { exact: true }).count()) === 0) {
      throw new Error(`the Mesh tab does not say "${title}"`);
    }
    return { firstRowMs, firstContentfulPaintMs, wallMs };
  } finally {
    await page.close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

(missingPortalPrerequisites.length > 0 ? describe.skip : describe)(
  `the Mesh tab with ${ROUTES} Kong routes`,
  () => {
    let portal: Portal | undefined;

    beforeAll(async () => {
      portal = await startPortal({
        kongDataset: kongDatasetWithRoutes(),
        backendLogName: 'bench-backend.log',
      });
      // Signs in as the guest on a page that reads nothing from Kong, so the first visit below
      // finds the backend's Kong caches cold.
      const page = await portal.open('legacy-batch-job');
      await page.close();
    }, timeoutMs);

    afterAll(async () => {
      await portal?.close();
    }, 60_000);

    it(
      'measures the first route row and the first contentful paint',
      async () => {
        const visits: Visit[] = [];
        for (let i = 0; i < VISITS; i++) {
          visits.push(await visitMeshTab(portal!));
        }
        const [cold, ...warm] = visits;
        const note = `${VISITS} visits, fresh page each, signed in; page clock from navigation start`;
        const rows: BenchRow[] = [
          {
            benchmark: `Mesh tab with 1,000 routes: first table row visible (cold backend)`,
            value: Math.round(cold.firstRowMs),
            unit: 'ms',
            note: `wall clock goto→visible ${cold.wallMs} ms`,
          },
          {
            benchmark: `Mesh tab with 1,000 routes: first table row visible (warm backend), median`,
            value: Math.round(median(warm.map(v => v.firstRowMs))),
            unit: 'ms',
            note: `${note}; wall clock goto→visible median ${median(
              warm.map(v => v.wallMs),
            )} ms`,
          },
          {
            benchmark: `Mesh tab with 1,000 routes: first-contentful-paint (cold backend)`,
            value: Math.round(cold.firstContentfulPaintMs),
            unit: 'ms',
          },
          {
            benchmark: `Mesh tab with 1,000 routes: first-contentful-paint (warm backend), median`,
            value: Math.round(
              median(warm.map(v => v.firstContentfulPaintMs)),
            ),
            unit: 'ms',
            note,
          },
        ];
        recordBench(rows);
        for (const row of rows) {
          expect(Number.isFinite(row.value)).toBe(true);
        }
      },
      timeoutMs,
    );
  },
);
