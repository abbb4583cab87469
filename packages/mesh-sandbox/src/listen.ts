import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A sandbox server could not listen because its port is taken. The message names the port and
 * how to pick another one.
 *
 * @public
 */
export class PortInUseError extends Error {
  readonly code = 'EADDRINUSE';

  constructor(
    readonly port: number,
    readonly host: string,
    readonly what: string,
    /** How to choose another port: the option, flag or environment variable. */
    readonly howToChange: string,
  ) {
    super(
      `${what}: port ${port} on ${host} is already in use. ` +
        `Stop whatever listens there or choose another port with ${howToChange} (0 picks a free port).`,
    );
    this.name = 'PortInUseError';
  }
}

/** @public */
export interface ListeningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts `server` on `host:port` and resolves once it listens; rejects with a
 * {@link PortInUseError} when the port is taken. `close()` also ends kept-alive connections.
 */
export function listen(
  server: Server,
  options: { host: string; port: number; what: string; howToChange: string },
): Promise<ListeningServer> {
  const sockets = new Set<Socket>();
  server.on('connection', socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    let onError: (error: NodeJS.ErrnoException) => void = () => {};
    const onListening = () => {
      server.off('error', onError);
      const { port } = server.address() as AddressInfo;
      const host = options.host.includes(':')
        ? `[${options.host}]`
        : options.host;
      let closing: Promise<void> | undefined;
      resolve({
        url: `http://${host}:${port}`,
        port,
        close: () => {
          closing ??= new Promise<void>((done, fail) => {
            server.close(error => (error ? fail(error) : done()));
            for (const socket of sockets) socket.destroy();
          });
          return closing;
        },
      });
    };
    onError = error => {
      server.off('listening', onListening);
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(
              options.port,
              options.host,
              options.what,
              options.howToChange,
            )
          : error,
      );
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(options.port, options.host);
  });
}
