import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

/** A free TCP port on 127.0.0.1, as the kernel hands it out for port 0. */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A child process that leads its own process group, so that all its descendants stop with it. */
export interface ProcessGroup {
  readonly child: ChildProcess;
  /** Resolves with the exit code (or signal name) once the leader has exited. */
  readonly exited: Promise<number | string>;
  /** SIGTERM to the whole group, then SIGKILL if the leader has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `command` as the leader of a new process group, its output appended to `logFile`. */
export function spawnProcessGroup(
  command: string,
  args: string[],
  options: SpawnOptions & { logFile: string },
): ProcessGroup {
  const { logFile, ...spawnOptions } = options;
  const log = fs.openSync(logFile, 'a');
  const child = spawn(command, args, {
    ...spawnOptions,
    detached: true,
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const exited = new Promise<number | string>(resolve => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', error => resolve(error.message));
  });

  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  };

  return {
    child,
    exited,
    async stop(graceMs = 10_000) {
      signalGroup('SIGTERM');
      const stopped = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>(resolve =>
          setTimeout(() => resolve(false), graceMs).unref(),
        ),
      ]);
      // Children of the leader may outlive it; SIGKILL whatever is left of the group.
      signalGroup('SIGKILL');
      if (!stopped) await exited;
    },
  };
}

/** Thrown by a probe that knows waiting longer cannot help. */
export class ProbeFailed extends Error {}

/** The last `lines` lines of a log file, for failure messages. */
export function tailOf(file: string, lines = 40): string {
  if (!fs.existsSync(file)) return '';
  return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

/**
 * Calls `probe` until it returns a value other than undefined. Fails as soon as `process` exits,
 * with the end of its log; there is no deadline of its own (the jest hook timeout is the limit).
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  process: ProcessGroup,
  logFile: string,
): Promise<T> {
  let exitStatus: number | string | undefined;
  process.exited.then(status => {
    exitStatus = status;
  });
  for (;;) {
    if (exitStatus !== undefined) {
      throw new Error(
        `${what}: the process exited (${exitStatus}) first. End of ${logFile}:\n${tailOf(logFile)}`,
      );
    }
    const value = await probe().catch(error => {
      if (error instanceof ProbeFailed) throw error;
      return undefined;
    });
    if (value !== undefined) return value;
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}
