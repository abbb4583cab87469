/**
 * A stand-in for the Jaeger UI's pages that mesh-gateway links to (`/trace/{id}`, `/search`), so
 * that deep links from the portal open something when the sandbox plays Jaeger. Plain HTML,
 * every value escaped.
 */
import { SandboxSpan, SandboxTrace, serviceNameOf, TraceSource } from './model';

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    c =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[
        c
      ]!,
  );

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>` +
  '<style>body{font-family:sans-serif;margin:2em}td,th{padding:2px 8px;text-align:left}.error{color:#c00}' +
  'code{font-size:0.9em}</style></head>' +
  `<body><p><a href="/">mesh-sandbox Jaeger</a></p><h1>${escape(title)}</h1>${body}</body></html>`;

const ms = (ns: bigint) => (Number(ns / 1000n) / 1000).toFixed(3);
const failed = (span: SandboxSpan) =>
  span.status.code === 2 ||
  span.attributes.some(
    a =>
      a.key === 'error' &&
      'stringValue' in a.value &&
      a.value.stringValue === 'true',
  );

export function tracePage(trace: SandboxTrace): string {
  const start = trace.spans.reduce(
    (min, s) => (s.startNs < min ? s.startNs : min),
    trace.spans[0].startNs,
  );
  const byParent = new Map<string | undefined, SandboxSpan[]>();
  const ids = new Set(trace.spans.map(s => s.spanId));
  for (const span of trace.spans) {
    const parent =
      span.parentSpanId && ids.has(span.parentSpanId)
        ? span.parentSpanId
        : undefined;
    byParent.set(parent, [...(byParent.get(parent) ?? []), span]);
  }
  const rows: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    for (const span of byParent.get(parent) ?? []) {
      rows.push(
        `<tr class="${failed(span) ? 'error' : ''}"><td style="padding-left:${depth * 16 + 8}px">${escape(serviceNameOf(span))}</td>` +
          `<td>${escape(span.name)}</td><td>${ms(span.startNs - start)}</td><td>${ms(span.endNs - span.startNs)}</td>` +
          `<td>${failed(span) ? 'error' : ''}</td></tr>`,
      );
      walk(span.spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return page(
    `Trace ${trace.traceId}`,
    `<table><thead><tr><th>service</th><th>operation</th><th>start (ms)</th><th>duration (ms)</th><th></th></tr></thead>` +
      `<tbody>${rows.join('')}</tbody></table>`,
  );
}

export function searchPage(
  source: TraceSource,
  service: string,
  startUs: number,
  endUs: number,
  limit: number,
): string {
  const items: string[] = [];
  for (const trace of source.traces(startUs, endUs)) {
    if (items.length >= limit) break;
    if (!trace.spans.some(span => serviceNameOf(span) === service)) continue;
    const root = [...trace.spans].sort((a, b) =>
      a.startNs < b.startNs ? -1 : 1,
    )[0];
    items.push(
      `<li><a href="/trace/${trace.traceId}"><code>${trace.traceId.slice(0, 7)}</code></a> ` +
        `${escape(serviceNameOf(root))}: ${escape(root.name)} (${ms(root.endNs - root.startNs)} ms)${trace.spans.some(failed) ? ' <span class="error">error</span>' : ''}</li>`,
    );
  }
  return page(
    `Traces of ${service}`,
    items.length > 0 ? `<ul>${items.join('')}</ul>` : '<p>No traces found.</p>',
  );
}

export function indexPage(source: TraceSource): string {
  const services = [...source.catalogue().keys()].sort();
  return page(
    'mesh-sandbox Jaeger',
    `<p>Services (the query APIs are at <code>/api</code> and <code>/api/v3</code>):</p><ul>${services
      .map(
        s =>
          `<li><a href="/search?service=${encodeURIComponent(s)}">${escape(s)}</a></li>`,
      )
      .join('')}</ul>`,
  );
}
