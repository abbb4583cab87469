import http from 'node:http';

/** Keep-alive agent for tests that walk thousands of pages. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

export interface JsonResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/**
 * GETs `path` from a loopback server with node:http (global fetch is blocked in Backstage's jest
 * setup; connections to IP literals need no lookup and pass).
 */
export function httpGet(
  baseUrl: string,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<JsonResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(path, baseUrl),
      { method, headers, agent },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: text ? JSON.parse(text) : undefined,
            });
          } catch (error) {
            reject(
              new Error(
                `${method} ${path}: not JSON (${error.message}): ${text.slice(0, 200)}`,
              ),
            );
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Follows `next` from `firstPath` until `next: null`; returns every page body. */
export async function walkPages(
  baseUrl: string,
  firstPath: string,
  headers: Record<string, string> = {},
): Promise<any[]> {
  const pages: any[] = [];
  let next: string | null = firstPath;
  while (next !== null) {
    const response = await httpGet(baseUrl, next, headers);
    if (response.status !== 200) {
      throw new Error(
        `GET ${next}: HTTP ${response.status} ${JSON.stringify(response.body)}`,
      );
    }
    pages.push(response.body);
    next = response.body.next;
    if (pages.length > 100_000) throw new Error('runaway pagination');
  }
  return pages;
}
