import { createServer } from 'node:net';
import { UpstreamError } from '../http/UpstreamError';
import { readYamlContract } from '../__testUtils__/contracts';
import { errorEnvelope, FakePrometheus } from './__testUtils__/fakePrometheus';
import type { PrometheusInstanceConfig } from './config';
import { parseSampleValue, PrometheusApiError, PrometheusClient, prometheusEnvelopeSchema } from './PrometheusClient';
import { selector } from './promql';

const instance = (url: string, extra: Partial<PrometheusInstanceConfig> = {}): PrometheusInstanceConfig => ({
  name: 'main',
  url,
  authHeaderName: 'Authorization',
  timeoutMs: 2000,
  scrapeIntervalSeconds: 15,
  labels: {},
  ...extra,
});
// No retries: each test sees exactly one request.
const noRetries = { concurrency: 4, retries: 0, retryBaseMs: 1, failureThreshold: 100, openMs: 1000 };
const up = selector('up', []);

type Spec = { paths: Record<string, any>; components: { schemas: Record<string, any> } };
const spec = readYamlContract<Spec>('prometheus/prometheus-http-api.openapi-3.1.yaml');

describe('the Prometheus OpenAPI contract', () => {
  it.each(['/query', '/query_range'])('parses every example answer of %s', path => {
    const responses = spec.paths[path].get.responses;
    const examples = Object.values(responses).flatMap((response: any) =>
      Object.values(response.content['application/json'].examples ?? {}).map((example: any) => example.value),
    );
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const example of examples) {
      const parsed = prometheusEnvelopeSchema.safeParse(example);
      expect({ example, issues: parsed.error?.issues }).toEqual({ example, issues: undefined });
    }
  });
});

describe('parseSampleValue', () => {
  it('reads Prometheus sample strings, NaN and infinities included', () => {
    expect(parseSampleValue('3.3333333333333335')).toBe(3.3333333333333335);
    expect(parseSampleValue('1e+21')).toBe(1e21);
    expect(parseSampleValue('NaN')).toBeNaN();
    expect(parseSampleValue('+Inf')).toBe(Infinity);
    expect(parseSampleValue('-Inf')).toBe(-Infinity);
    expect(() => parseSampleValue('')).toThrow();
    expect(() => parseSampleValue('fast')).toThrow('is not a sample value');
  });
});

describe('PrometheusClient', () => {
  let prometheus: FakePrometheus;
  beforeAll(async () => {
    prometheus = await new FakePrometheus().start();
  });
  afterAll(() => prometheus.close());
  beforeEach(() => {
    prometheus.requests.length = 0;
  });

  it('sends the parameters the API describes, with the auth header, and reads the vector', async () => {
    prometheus.answer = () => ({
      json: {
        status: 'success',
        data: {
          resultType: 'vector',
          result: [
            { metric: { q: 'a' }, value: [1700000000.5, '12.5'] },
            { metric: { q: 'b' }, value: [1700000000.5, 'NaN'] },
            { metric: { q: 'c' }, value: [1700000000.5, '+Inf'] },
          ],
        },
        warnings: ['PromQL info: metric might not be a counter'],
      },
    });
    const client = new PrometheusClient(instance(`${prometheus.url}/prom`, { authToken: 'Bearer s3cret' }), noRetries);
    const { result, warnings } = await client.query(up, 1_700_000_000_500);
    expect(result).toEqual([
      { metric: { q: 'a' }, timestampMs: 1_700_000_000_500, value: 12.5 },
      { metric: { q: 'b' }, timestampMs: 1_700_000_000_500, value: NaN },
      { metric: { q: 'c' }, timestampMs: 1_700_000_000_500, value: Infinity },
    ]);
    expect(warnings).toEqual(['PromQL info: metric might not be a counter']);

    const [request] = prometheus.requests;
    expect(request.path).toBe('/prom/api/v1/query');
    expect(request.params).toEqual({ query: 'up{}', time: '1700000000.500', timeout: '1800ms' });
    expect(request.headers.authorization).toBe('Bearer s3cret');
    const declared = spec.paths['/query'].get.parameters.map((p: any) => p.name);
    expect(declared).toEqual(expect.arrayContaining(Object.keys(request.params)));
  });

  it('asks a range with start, end and step, and reads the matrix', async () => {
    prometheus.answer = () => ({
      json: {
        status: 'success',
        data: { resultType: 'matrix', result: [{ metric: {}, values: [[1700000000, '1'], [1700000060, '-Inf']] }] },
      },
    });
    const client = new PrometheusClient(instance(prometheus.url), noRetries);
    const { result } = await client.queryRange(up, 1_700_000_000_000, 1_700_000_060_000, 60);
    expect(result).toEqual([
      { metric: {}, points: [{ timestampMs: 1_700_000_000_000, value: 1 }, { timestampMs: 1_700_000_060_000, value: -Infinity }] },
    ]);
    const [request] = prometheus.requests;
    expect(request.params).toEqual({ query: 'up{}', start: '1700000000.000', end: '1700000060.000', step: '60', timeout: '1800ms' });
    const declared = spec.paths['/query_range'].get.parameters.map((p: any) => p.name);
    expect(declared).toEqual(expect.arrayContaining(Object.keys(request.params)));
  });

  it.each([
    ['bad_data', 'invalid parameter "query": 1:5: parse error: unexpected end of input'],
    ['execution', 'query processing would load too many samples into memory in query execution'],
    ['timeout', 'query timed out in expression evaluation'],
    ['internal', 'TSDB not ready'],
  ])('turns an error envelope of type %s into an error naming it', async (errorType, message) => {
    prometheus.answer = () => errorEnvelope(errorType, message);
    const client = new PrometheusClient(instance(prometheus.url), noRetries);
    const error = await client.query(up, Date.now()).catch(e => e);
    expect(error).toBeInstanceOf(PrometheusApiError);
    expect(error.toSectionError()).toEqual({
      name: `prometheus-${errorType}`,
      instance: 'main',
      message: `main /api/v1/query: ${errorType}: ${message}`,
    });
  });

  it('tells a proxy\'s error page and a wrong base URL from Prometheus\' own errors', async () => {
    const client = new PrometheusClient(instance(prometheus.url), noRetries);
    prometheus.answer = () => ({ status: 503, text: '<html>Service Unavailable</html>', contentType: 'text/html' });
    await expect(client.query(up, Date.now())).rejects.toMatchObject({ kind: 'upstream-status', status: 503, message: 'main /api/v1/query: HTTP 503' });
    prometheus.answer = () => ({ status: 404, text: '404 page not found' });
    await expect(client.query(up, Date.now())).rejects.toMatchObject({
      kind: 'not-found',
      message: expect.stringContaining('is the url the base URL of a Prometheus API?'),
    });
    prometheus.answer = () => ({ status: 401, text: 'Unauthorized' });
    await expect(client.query(up, Date.now())).rejects.toMatchObject({ kind: 'unauthorized', status: 401 });
  });

  it.each([
    ['not an envelope', { json: { data: [] } }, 'is not a Prometheus API response'],
    ['a matrix for an instant query', { json: { status: 'success', data: { resultType: 'matrix', result: [] } } }, 'expected a vector, got a matrix'],
    ['a value that is no number', { json: { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, 'fast'] }] } } }, '"fast" is not a sample value'],
  ])('refuses %s as a bad response', async (_what, answer, message) => {
    prometheus.answer = () => answer;
    const client = new PrometheusClient(instance(prometheus.url), noRetries);
    const error = await client.query(up, Date.now()).catch(e => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ kind: 'bad-response', message: expect.stringContaining(message) });
  });

  it('gives up after its timeout when Prometheus does not answer', async () => {
    prometheus.answer = () => 'hang';
    const client = new PrometheusClient(instance(prometheus.url, { timeoutMs: 200 }), noRetries);
    await expect(client.query(up, Date.now())).rejects.toMatchObject({
      kind: 'timeout',
      message: 'main /api/v1/query: no answer within 200 ms',
    });
  });

  it('says when Prometheus cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise(resolve => closed.close(resolve));
    const client = new PrometheusClient(instance(`http://127.0.0.1:${port}`), noRetries);
    await expect(client.query(up, Date.now())).rejects.toMatchObject({
      kind: 'unreachable',
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });
});
