import http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as text, exactly as received. */
  text: string;
  /** The body parsed as JSON when the response says it is JSON, else undefined. */
  body: any;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/**
 * GETs `path` on a loopback port with node:http, sending the headers exactly as given: a name
 * that appears several times (in any case) or with an array value is sent as several lines.
 * Unlike supertest, nothing is interpreted on the way out (superagent chokes on a repeated
 * Content-Type, for one), so a fuzzer can send whatever Node's http client accepts.
 */
export function rawGet(
  port: number,
  path: string,
  headers: ReadonlyArray<readonly [string, string | readonly string[]]> = [],
  timeoutMs = 30_000,
): Promise<RawResponse> {
  const merged = new Map<string, { name: string; values: string[] }>();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    const entry = merged.get(key) ?? { name, values: [] };
    entry.values.push(...(typeof value === 'string' ? [value] : value));
    merged.set(key, entry);
  }
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'GET', agent, timeout: timeoutMs }, res => {
      const chunks: Buffer[] = [];
      res.on('data', chunk => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: any;
        if (/\bjson\b/i.test(String(res.headers['content-type'] ?? '')) && text) {
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path.slice(0, 200)}: no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    try {
      for (const { name, values } of merged.values()) {
        req.setHeader(name, values.length === 1 ? values[0] : values);
      }
    } catch (error) {
      req.destroy();
      reject(error);
      return;
    }
    req.end();
  });
}

/** Closes the keep-alive connections `rawGet` holds, so that jest can exit. */
export function closeRawHttpAgent(): void {
  agent.destroy();
}
