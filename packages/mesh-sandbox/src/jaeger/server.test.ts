import http from 'node:http';
import { FaultInjector } from '../faults/FaultInjector';
import { httpGet } from '../testing/httpGet';
import { staticTraceSource, str } from './model';
import { parseGoDuration } from './queryApi';
import { JaegerQueryServer, startJaegerQueryServer } from './server';

const NOW = Date.parse('2026-11-22T10:00:10Z');
const HOUR_MS = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const v1Window = (hours = 1) =>
  `start=${(NOW - hours * HOUR_MS) * 1000}&end=${NOW * 1000}`;
const v3Window = (hours = 1) =>
  `query.start_time_min=${iso(NOW - hours * HOUR_MS)}&query.start_time_max=${iso(NOW)}`;

/** Trace ids of a v3 answer, in order of first appearance. */
function v3TraceIds(body: any): string[] {
  const ids: string[] = [];
  for (const r of body.result.resourceSpans)
    for (const s of r.scopeSpans)
      for (const span of s.spans)
        if (!ids.includes(span.traceId)) ids.push(span.traceId);
  return ids;
}
const pad = (id: string) => id.padStart(32, '0');

describe('Jaeger query sandbox', () => {
  let jaeger: JaegerQueryServer;
  beforeAll(async () => {
    jaeger = await startJaegerQueryServer({ now: () => NOW, seed: 'server' });
  });
  afterAll(() => jaeger.close());

  describe('v1 /api/traces', () => {
    it('requires service unless traceID is given', async () => {
      const response = await httpGet(jaeger.url, `/api/traces?${v1Window()}`);
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { code: 400, msg: "parameter 'service' is required" },
      ]);
    });

    it('reads start and end as microseconds and ignores lookback', async () => {
      const plain = await httpGet(
        jaeger.url,
        `/api/traces?service=user-service&${v1Window()}&limit=1000`,
      );
      const withLookback = await httpGet(
        jaeger.url,
        `/api/traces?service=user-service&${v1Window()}&limit=1000&lookback=5m`,
      );
      expect(withLookback.body).toEqual(plain.body);
      const start = (NOW - HOUR_MS) * 1000;
      expect(plain.body.data.length).toBeGreaterThan(80);
      for (const trace of plain.body.data) {
        const processIds = Object.entries<any>(trace.processes)
          .filter(([, p]) => p.serviceName === 'user-service')
          .map(([id]) => id);
        const spans = trace.spans.filter((s: any) =>
          processIds.includes(s.processID),
        );
        expect(
          spans.some(
            (s: any) => s.startTime >= start && s.startTime <= NOW * 1000,
          ),
        ).toBe(true);
      }
      // Without start/end: the last two days.
      const defaults = await httpGet(
        jaeger.url,
        '/api/traces?service=user-service&limit=1000',
      );
      expect(defaults.body.data.length).toBe(1000);
    });

    it('limits to `limit` traces (100 by default), newest first, and refuses a bad limit', async () => {
      const limited = await httpGet(
        jaeger.url,
        `/api/traces?service=ai-agent-service&${v1Window(3)}&limit=7`,
      );
      expect(limited.body.data).toHaveLength(7);
      const starts = limited.body.data.map((t: any) =>
        Math.min(...t.spans.map((s: any) => s.startTime)),
      );
      expect([...starts].sort((a, b) => b - a)).toEqual(starts);
      const byDefault = await httpGet(
        jaeger.url,
        `/api/traces?service=user-service&${v1Window(3)}`,
      );
      expect(byDefault.body.data).toHaveLength(100);
      const zero = await httpGet(
        jaeger.url,
        `/api/traces?service=user-service&limit=0`,
      );
      expect(zero.body.errors[0].msg).toBe(
        'invalid parameter: limit must be greater than 0',
      );
      const text = await httpGet(
        jaeger.url,
        `/api/traces?service=user-service&start=yesterday`,
      );
      expect(text.body.errors[0].msg).toBe(
        'unable to parse param \'start\': strconv.ParseInt: parsing "yesterday": invalid syntax',
      );
    });

    it('filters by operation, duration and tags', async () => {
      const db = await httpGet(
        jaeger.url,
        `/api/traces?service=user-service&operation=SELECT%20parallel_ai.users&minDuration=100ms&${v1Window(6)}&limit=1000`,
      );
      for (const trace of db.body.data) {
        expect(
          trace.spans.some(
            (s: any) =>
              s.operationName === 'SELECT parallel_ai.users' &&
              s.duration >= 100_000,
          ),
        ).toBe(true);
      }
      const tagged = await httpGet(
        jaeger.url,
        `/api/traces?service=user-service.parallel-ai&tags=${encodeURIComponent('{"http.status_code":"500"}')}&${v1Window(6)}&limit=1000`,
      );
      expect(tagged.body.data.length).toBeGreaterThan(0);
      expect(tagged.body.data.length).toBeLessThan(db.body.data.length + 50);
      const bad = await httpGet(
        jaeger.url,
        '/api/traces?service=a&tag=novalue',
      );
      expect(bad.body.errors[0].msg).toBe(
        "malformed 'tag' parameter, expecting key:value, received: novalue",
      );
      expect(parseGoDuration('1h2m3.5s')).toBe(3_723_500);
      expect(parseGoDuration('250us')).toBe(0.25);
      expect(() => parseGoDuration('5 minutes')).toThrow(
        'time: invalid duration "5 minutes"',
      );
    });

    it('finds traces by id, 16 hex characters for 64-bit ids, and reports the missing ones', async () => {
      const analytics = await httpGet(
        jaeger.url,
        `/api/traces?service=analytics-service&${v1Window(6)}&limit=1000`,
      );
      const short = analytics.body.data.find(
        (t: any) => t.traceID.length === 16,
      );
      expect(short).toBeDefined();
      const byIds = await httpGet(
        jaeger.url,
        `/api/traces?traceID=${short.traceID}&traceID=${'ab'.repeat(16)}`,
      );
      expect(byIds.body.data.map((t: any) => t.traceID)).toEqual([
        short.traceID,
      ]);
      expect(byIds.body.errors).toEqual([
        { msg: 'trace not found', traceID: 'ab'.repeat(16) },
      ]);
      const one = await httpGet(
        jaeger.url,
        `/api/traces/${pad(short.traceID)}`,
      );
      expect(one.body.data).toEqual([short]);
      const missing = await httpGet(
        jaeger.url,
        `/api/traces/${'cd'.repeat(16)}`,
      );
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({
        data: null,
        total: 0,
        limit: 0,
        offset: 0,
        errors: [{ code: 404, msg: 'trace not found' }],
      });
      const bad = await httpGet(jaeger.url, `/api/traces/${'a'.repeat(33)}`);
      expect(bad.status).toBe(400);
    });
  });

  describe('v1 services, operations and dependencies', () => {
    it('lists services and operations in the envelope', async () => {
      const services = await httpGet(jaeger.url, '/api/services');
      expect(services.body.data).toContain('user-service');
      expect(services.body.total).toBe(services.body.data.length);
      const legacy = await httpGet(
        jaeger.url,
        '/api/services/user-service/operations',
      );
      expect(legacy.body.data).toEqual([
        'GET /api/v1/users/{userId}',
        'SELECT parallel_ai.users',
      ]);
      const operations = await httpGet(
        jaeger.url,
        '/api/operations?service=user-service&spanKind=client',
      );
      expect(operations.body.data).toEqual([
        { name: 'SELECT parallel_ai.users', spanKind: 'client' },
      ]);
      const noService = await httpGet(jaeger.url, '/api/operations');
      expect(noService.status).toBe(400);
    });

    it('computes dependencies over endTs − lookback (milliseconds), a call per cross-service parent', async () => {
      const hour = await httpGet(
        jaeger.url,
        `/api/dependencies?endTs=${NOW}&lookback=${HOUR_MS}`,
      );
      const twoHours = await httpGet(
        jaeger.url,
        `/api/dependencies?endTs=${NOW}&lookback=${2 * HOUR_MS}`,
      );
      const link = (body: any, parent: string, child: string) =>
        body.data.find((l: any) => l.parent === parent && l.child === child)
          ?.callCount ?? 0;
      expect(link(hour.body, 'kong-gateway', 'kong.kong')).toBeGreaterThan(100);
      expect(link(twoHours.body, 'kong-gateway', 'kong.kong')).toBeGreaterThan(
        link(hour.body, 'kong-gateway', 'kong.kong'),
      );
      expect(
        link(
          hour.body,
          'ai-agent-service.parallel-ai',
          'user-service.parallel-ai',
        ),
      ).toBeGreaterThan(20);
      expect(
        link(hour.body, 'reporting-cron', 'user-service.parallel-ai'),
      ).toBeGreaterThan(0);
      expect(link(hour.body, 'user-service', 'user-service')).toBe(0);
      const filtered = await httpGet(
        jaeger.url,
        `/api/dependencies?endTs=${NOW}&lookback=${HOUR_MS}&service=reporting-cron`,
      );
      expect(filtered.body.data).toEqual([
        {
          parent: 'reporting-cron',
          child: 'user-service.parallel-ai',
          callCount: link(
            hour.body,
            'reporting-cron',
            'user-service.parallel-ai',
          ),
        },
      ]);
    });
  });

  describe('v3', () => {
    it('requires both start_time_min and start_time_max, in RFC 3339, min before max', async () => {
      const only = await httpGet(
        jaeger.url,
        `/api/v3/traces?query.service_name=user-service&query.start_time_min=${iso(NOW - HOUR_MS)}`,
      );
      expect(only.status).toBe(400);
      expect(only.body).toEqual({
        error: {
          httpCode: 400,
          message: 'query.start_time_min and query.start_time_max are required',
        },
      });
      const malformed = await httpGet(
        jaeger.url,
        `/api/v3/traces?query.start_time_min=yesterday&query.start_time_max=${iso(NOW)}`,
      );
      expect(malformed.body.error.message).toMatch(
        /^malformed parameter query.start_time_min: parsing time "yesterday"/,
      );
      const reversed = await httpGet(
        jaeger.url,
        `/api/v3/traces?query.start_time_min=${iso(NOW)}&query.start_time_max=${iso(NOW - HOUR_MS)}`,
      );
      expect(reversed.status).toBe(400);
    });

    it('accepts camelCase names (Jaeger 2.19+) like snake_case ones, and nanosecond precision', async () => {
      const snake = await httpGet(
        jaeger.url,
        `/api/v3/traces?query.service_name=user-service&${v3Window()}&query.num_traces=500`,
      );
      const camel = await httpGet(
        jaeger.url,
        `/api/v3/traces?query.serviceName=user-service&query.startTimeMin=${iso(NOW - HOUR_MS).replace('.000Z', '.000000000Z')}&query.startTimeMax=${encodeURIComponent(iso(NOW).replace('Z', '+00:00'))}&query.searchDepth=500`,
      );
      expect(camel.body).toEqual(snake.body);
    });

    it('answers no match with 404 "No traces found" and a missing trace with 404', async () => {
      const none = await httpGet(
        jaeger.url,
        `/api/v3/traces?query.service_name=user-service&query.start_time_min=${iso(NOW - 10 * 86_400_000)}&query.start_time_max=${iso(NOW - 9 * 86_400_000)}`,
      );
      expect(none.status).toBe(404);
      expect(none.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(none.body).toEqual({
        error: { httpCode: 404, message: 'No traces found' },
      });
      const missing = await httpGet(
        jaeger.url,
        `/api/v3/traces/${'cd'.repeat(16)}`,
      );
      expect(missing.body).toEqual({
        error: { httpCode: 404, message: 'trace not found' },
      });
    });

    it('answers from the same traces as v1: same ids, spans and times', async () => {
      const v1 = await httpGet(
        jaeger.url,
        `/api/traces?service=analytics-service&${v1Window()}&limit=500`,
      );
      const v3 = await httpGet(
        jaeger.url,
        `/api/v3/traces?query.service_name=analytics-service&${v3Window()}&query.num_traces=500`,
      );
      // OTLP groups spans by resource, so v3 has no trace order: compare the sets.
      expect(v3TraceIds(v3.body).sort()).toEqual(
        v1.body.data.map((t: any) => pad(t.traceID)).sort(),
      );
      expect(v1.body.data.length).toBeGreaterThan(40);
      const v1Spans = v1.body.data
        .flatMap((t: any) =>
          t.spans.map(
            (s: any) =>
              `${pad(s.traceID)}/${s.spanID}/${s.startTime}/${s.duration}`,
          ),
        )
        .sort();
      const v3Spans = v3.body.result.resourceSpans
        .flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans))
        .map(
          (s: any) =>
            `${s.traceId}/${s.spanId}/${BigInt(s.startTimeUnixNano) / 1000n}/${(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)) / 1000n}`,
        )
        .sort();
      expect(v3Spans).toEqual(v1Spans);
    });
  });

  describe('around the APIs', () => {
    it('serves UI pages for deep links, escaped', async () => {
      const source = staticTraceSource([
        {
          traceId: pad('1'),
          spans: [
            {
              traceId: pad('1'),
              spanId: '0000000000000001',
              resource: [str('service.name', '<script>x</script>')],
              scope: {},
              name: 'op & more',
              kind: 2,
              startNs: BigInt(NOW - 1000) * 1_000_000n,
              endNs: BigInt(NOW - 990) * 1_000_000n,
              attributes: [],
              events: [],
              status: { code: 2 },
            },
          ],
        },
      ]);
      const server = await startJaegerQueryServer({ now: () => NOW, source });
      try {
        const page = await fetchText(`${server.url}/trace/1`);
        expect(page.status).toBe(200);
        expect(page.text).toContain('&lt;script&gt;x&lt;/script&gt;');
        expect(page.text).toContain('op &amp; more');
        expect(page.text).not.toContain('<script>');
        expect((await fetchText(`${server.url}/trace/2`)).status).toBe(404);
        expect(
          (
            await fetchText(
              `${server.url}/search?service=${encodeURIComponent('<script>x</script>')}`,
            )
          ).text,
        ).toContain(`/trace/${pad('1')}`);
      } finally {
        await server.close();
      }
    });

    it("requires the configured auth header, and answers unknown paths like Go's mux", async () => {
      const server = await startJaegerQueryServer({
        now: () => NOW,
        seed: 'auth',
        auth: { header: 'Authorization', value: 'Bearer sandbox' },
      });
      try {
        expect((await fetchText(`${server.url}/api/services`)).status).toBe(
          401,
        );
        expect(
          (
            await httpGet(server.url, '/api/services', {
              Authorization: 'Bearer sandbox',
            })
          ).status,
        ).toBe(200);
        const unknown = await fetchText(`${server.url}/api/nothing`, {
          Authorization: 'Bearer sandbox',
        });
        expect(unknown).toEqual({ status: 404, text: '404 page not found\n' });
      } finally {
        await server.close();
      }
    });

    it('injects faults and records requests', async () => {
      const faults = new FaultInjector([
        {
          pathIncludes: '/api/v3/services',
          fault: { type: 'status', status: 503 },
          times: 1,
        },
      ]);
      const server = await startJaegerQueryServer({
        now: () => NOW,
        seed: 'faults',
        faults,
      });
      try {
        expect((await httpGet(server.url, '/api/v3/services')).status).toBe(
          503,
        );
        expect((await httpGet(server.url, '/api/v3/services')).status).toBe(
          200,
        );
        expect(server.requests.map(r => r.path)).toEqual([
          '/api/v3/services',
          '/api/v3/services',
        ]);
      } finally {
        await server.close();
      }
    });

    it('names the port and the setting when the port is taken', async () => {
      await expect(
        startJaegerQueryServer({
          port: jaeger.port,
          portSetting: '--jaeger-port',
        }),
      ).rejects.toThrow(`port ${jaeger.port} on 127.0.0.1 is already in use`);
    });
  });
});

/** GET without JSON parsing (HTML pages, plain text). */
async function fetchText(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    http
      .get(url, { headers }, res => {
        let text = '';
        res.on('data', chunk => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      })
      .on('error', reject);
  });
}
