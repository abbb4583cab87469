import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedPrometheusRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  headers: IncomingMessage['headers'];
}

export type FakeAnswer =
  | { status?: number; json: unknown }
  | { status: number; text: string; contentType?: string }
  | 'hang';

/**
 * A stand-in for the Prometheus HTTP API whose answer each test decides, recording what was asked.
 * Tests of the real behaviour use a real Prometheus (MetricsSectionProvider.prometheus.test.ts).
 */
export class FakePrometheus {
  readonly requests: RecordedPrometheusRequest[] = [];
  answer: (request: RecordedPrometheusRequest) => FakeAnswer = () => ({
    json: { status: 'success', data: { resultType: 'vector', result: [] } },
  });
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('connection', socket => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>(resolve => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise(resolve => this.server?.close(resolve));
  }

  private handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://prometheus');
    const request: RecordedPrometheusRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      params: Object.fromEntries(url.searchParams),
      headers: req.headers,
    };
    this.requests.push(request);
    const answer = this.answer(request);
    if (answer === 'hang') return;
    if ('json' in answer) {
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.json));
      return;
    }
    res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'text/plain; charset=utf-8' });
    res.end(answer.text);
  }
}

/** Prometheus' error envelope with the status its API gives each errorType. */
export function errorEnvelope(errorType: string, error: string): FakeAnswer {
  const status: Record<string, number> = { bad_data: 400, execution: 422, timeout: 503, canceled: 499, internal: 500, unavailable: 503 };
  return { status: status[errorType] ?? 500, json: { status: 'error', errorType, error } };
}

export function vector(result: { metric: Record<string, string>; value: string }[], time = 1_700_000_000): FakeAnswer {
  return {
    json: { status: 'success', data: { resultType: 'vector', result: result.map(r => ({ metric: r.metric, value: [time, r.value] })) } },
  };
}
