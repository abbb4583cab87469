import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getJson } from './fetchJson';
import { UpstreamPolicy } from './UpstreamPolicy';

describe('getJson', () => {
  let server: http.Server;
  let baseUrl: string;
  let status = 500;
  let retryAfter: string | undefined;
  let calls = 0;

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      calls++;
      const body = JSON.stringify({ status: 'error', errorType: 'internal', error: 'query processing failed' });
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        ...(retryAfter ? { 'retry-after': retryAfter } : {}),
      });
      res.end(body);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise(resolve => server.close(resolve)));

  it('hands an accepted 5xx to the caller, and counts it against the instance all the same', async () => {
    status = 500;
    calls = 0;
    const policy = new UpstreamPolicy('prometheus', { concurrency: 4, retries: 0, retryBaseMs: 1, failureThreshold: 2, openMs: 60_000 });
    const endpoint = { instance: 'prometheus', baseUrl, timeoutMs: 1000, policy };

    for (let i = 0; i < 2; i++) {
      const response = await getJson(endpoint, '/api/v1/query?query=up', { acceptStatuses: [500] });
      expect(response).toEqual({ status: 500, body: expect.objectContaining({ error: 'query processing failed' }) });
    }
    expect(policy.state).toBe('open');
    await expect(getJson(endpoint, '/api/v1/query?query=up', { acceptStatuses: [500] })).rejects.toMatchObject({ kind: 'circuit-open' });
    expect(calls).toBe(2);
  });

  it('honours the Retry-After of an accepted 503: no retry sooner than asked', async () => {
    status = 503;
    retryAfter = '60';
    calls = 0;
    try {
      const policy = new UpstreamPolicy('prometheus', { concurrency: 4, retries: 2, retryBaseMs: 1, failureThreshold: 10, openMs: 60_000 });
      const endpoint = { instance: 'prometheus', baseUrl, timeoutMs: 1000, policy };
      const response = await getJson(endpoint, '/api/v1/query?query=up', { acceptStatuses: [503] });
      expect(response).toMatchObject({ status: 503, retryAfterMs: 60_000 });
      // 60 s is beyond the call's deadline: the envelope comes back after one attempt.
      expect(calls).toBe(1);
    } finally {
      retryAfter = undefined;
    }
  });

  it('does not count an accepted 4xx: the instance answered', async () => {
    status = 400;
    const policy = new UpstreamPolicy('prometheus', { concurrency: 4, retries: 0, retryBaseMs: 1, failureThreshold: 1, openMs: 60_000 });
    const endpoint = { instance: 'prometheus', baseUrl, timeoutMs: 1000, policy };
    await expect(getJson(endpoint, '/api/v1/query?query=(', { acceptStatuses: [400] })).resolves.toMatchObject({ status: 400 });
    expect(policy.state).toBe('closed');
  });
});
