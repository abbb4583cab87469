import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';

/** One request as it arrived on the wire. */
export interface WireRequest {
  method: string;
  /** The request target exactly as sent (path and query). */
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** A loopback listener that records every socket and request it gets. */
export interface RecordingListener {
  url: string;
  port: number;
  /** Sockets accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

async function listen(server: net.Server, sockets: Set<net.Socket>): Promise<number> {
  server.on('connection', socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

function closer(server: net.Server, sockets: Set<net.Socket>) {
  return async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise(resolve => server.close(resolve));
  };
}

/**
 * An HTTP listener on port 0 that records each request and answers with `answer` (JSON, 200).
 * Stands in for an upstream such as Prometheus, whose answers a test does not care about.
 */
export async function startRecordingHttpServer(
  answer: (request: WireRequest) => unknown,
): Promise<RecordingListener & { requests: WireRequest[] }> {
  const requests: WireRequest[] = [];
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers };
    requests.push(request);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer(request)));
  });
  server.on('connection', () => accepted++);
  const port = await listen(server, sockets);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    connections: () => accepted,
    close: closer(server, sockets),
  };
}

/**
 * A TLS listener on port 0 serving `cert`/`key` for every name, recording the SNI of each
 * handshake (none is recorded when the client sends no SNI; compare with `connections()`).
 */
export async function startRecordingTlsServer(options: {
  cert: string;
  key: string;
}): Promise<RecordingListener & { serverNames: string[] }> {
  const serverNames: string[] = [];
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  const context = tls.createSecureContext({ cert: options.cert, key: options.key });
  const server = tls.createServer(
    {
      cert: options.cert,
      key: options.key,
      // Called during the handshake only when the client sends an SNI: the name is recorded
      // even if the client hangs up right after.
      SNICallback: (servername, callback) => {
        serverNames.push(servername);
        callback(null, context);
      },
    },
    socket => {
      socket.on('error', () => {});
      socket.end();
    },
  );
  server.on('tlsClientError', () => {});
  server.on('connection', () => accepted++);
  const port = await listen(server, sockets);
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    serverNames,
    connections: () => accepted,
    close: closer(server, sockets),
  };
}

/** A TCP listener that accepts and drops sockets: where nothing may ever connect. */
export async function startDecoyListener(): Promise<RecordingListener> {
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer(socket => {
    socket.destroy();
  });
  server.on('connection', () => accepted++);
  const port = await listen(server, sockets);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: () => accepted,
    close: closer(server, sockets),
  };
}

/** Where a socket was asked to connect. */
export interface OutboundConnection {
  host?: string;
  port?: number;
  path?: string;
}

/**
 * Records every outbound TCP connection this process starts (fetch/undici, node:http(s),
 * node:tls all end in `net.Socket#connect`), until `stop()` is called.
 */
export function recordOutboundConnections(): { connections: OutboundConnection[]; stop(): void } {
  const connections: OutboundConnection[] = [];
  const original = net.Socket.prototype.connect;
  const patched = function connect(this: net.Socket, ...args: any[]) {
    const [first, second] = args;
    if (Array.isArray(first)) {
      // Node's internal form: [options, callback].
      const options = first[0] ?? {};
      connections.push({ host: options.host, port: options.port === undefined ? undefined : Number(options.port), path: options.path });
    } else if (typeof first === 'object' && first !== null) {
      connections.push({ host: first.host, port: first.port === undefined ? undefined : Number(first.port), path: first.path });
    } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
      connections.push({ host: typeof second === 'string' ? second : 'localhost', port: Number(first) });
    } else {
      connections.push({ path: String(first) });
    }
    return (original as any).apply(this, args);
  };
  net.Socket.prototype.connect = patched as typeof original;
  return {
    connections,
    stop: () => {
      if (net.Socket.prototype.connect === (patched as unknown)) net.Socket.prototype.connect = original;
    },
  };
}
