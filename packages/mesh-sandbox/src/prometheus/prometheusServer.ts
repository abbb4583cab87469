import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { listen, PortInUseError } from '../listen';
import { MeshMetricsDataset, MeshMetricsGenerator } from './meshMetrics';
import { writeOpenMetrics } from './openMetrics';

/*
 * A real Prometheus (Debian's `prometheus` package) holding the sandbox's Kong and Istio series:
 * the history is written as OpenMetrics, turned into TSDB blocks with
 * `promtool tsdb create-blocks-from openmetrics`, and Prometheus is started on those blocks. The
 * history ends shortly before "now", so rates over windows that end now see it. With a generator
 * (the default), Prometheus also scrapes it every interval, and the series go on from there.
 */

/** @public */
export const PROMETHEUS_SANDBOX_DEFAULTS = {
  prometheusBinary: '/usr/bin/prometheus',
  promtoolBinary: '/usr/bin/promtool',
  host: '127.0.0.1',
  /** Prometheus' own port. */
  port: 9090,
  startTimeoutMs: 30_000,
} as const;

/** `prometheus` or `promtool` is not installed. @public */
export class PrometheusNotInstalledError extends Error {
  constructor(readonly binary: string) {
    super(`${binary} is missing: install Prometheus with "apt-get install prometheus" (Debian/Ubuntu), or pass its path`);
    this.name = 'PrometheusNotInstalledError';
  }
}

/** @public */
export interface PrometheusSandboxOptions {
  host?: string;
  /** 0 picks a free port. Default 9090. */
  port?: number;
  /**
   * Fixed series to serve, nothing after them (tests compare against exactly these). Without it a
   * generator runs: its history is backfilled and Prometheus scrapes it for the rest.
   */
  dataset?: MeshMetricsDataset;
  /** The live series; default: the ADR services, history over the last 3 hours. Ignored with `dataset`. */
  generator?: MeshMetricsGenerator;
  prometheusBinary?: string;
  promtoolBinary?: string;
  /** Where the TSDB goes; default a fresh temporary directory, removed on close. */
  dataDir?: string;
  startTimeoutMs?: number;
  /** How to choose another port, for the message when the port is taken. */
  portSetting?: string;
}

/** How long each phase took, in milliseconds. @public */
export interface PrometheusSandboxTimings {
  generateMs: number;
  writeMs: number;
  backfillMs: number;
  startMs: number;
}

/** @public */
export interface PrometheusSandbox {
  url: string;
  port: number;
  dataset: MeshMetricsDataset;
  dataDir: string;
  timings: PrometheusSandboxTimings;
  close(): Promise<void>;
}

/** A loopback port that was free a moment ago. */
async function freePort(host: string): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, host, resolve);
  });
  const { port } = probe.address() as { port: number };
  await new Promise(resolve => probe.close(resolve));
  return port;
}

async function ensureFree(host: string, port: number, portSetting = 'the port option (0 picks a free port)'): Promise<number> {
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(port, host, resolve);
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new PortInUseError(port, host, 'Prometheus sandbox', portSetting);
    }
    throw error;
  }
  await new Promise(resolve => probe.close(resolve));
  return port;
}

function run(binary: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', chunk => (output += chunk));
    child.stderr.on('data', chunk => (output += chunk));
    child.once('error', reject);
    child.once('close', code => resolve({ code, output }));
  });
}

/** The default generator: the ADR services, history over the 3 hours up to the last whole minute. */
export function defaultSandboxGenerator(nowMs = Date.now()): MeshMetricsGenerator {
  return new MeshMetricsGenerator({ endMs: Math.floor(nowMs / 60_000) * 60_000 });
}

/** Serves the generator's current values at `/metrics` for Prometheus to scrape. */
async function startExporter(generator: MeshMetricsGenerator, host: string): Promise<{ address: string; close(): Promise<void> }> {
  const server = createHttpServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(generator.exposition(Date.now()));
  });
  const listening = await listen(server, {
    host,
    port: 0,
    what: 'Prometheus sandbox exporter',
    howToChange: 'nothing (it takes any free port)',
  });
  return { address: `${host.includes(':') ? `[${host}]` : host}:${listening.port}`, close: listening.close };
}

/**
 * Starts Prometheus on `host:port` with `dataset` backfilled, and resolves once `/-/ready`
 * answers 200. Rejects with {@link PrometheusNotInstalledError} when the binaries are missing and
 * with {@link PortInUseError} when the port is taken.
 *
 * @public
 */
export async function startPrometheusSandbox(options: PrometheusSandboxOptions = {}): Promise<PrometheusSandbox> {
  const prometheusBinary = options.prometheusBinary ?? PROMETHEUS_SANDBOX_DEFAULTS.prometheusBinary;
  const promtoolBinary = options.promtoolBinary ?? PROMETHEUS_SANDBOX_DEFAULTS.promtoolBinary;
  for (const binary of [prometheusBinary, promtoolBinary]) {
    if (!fs.existsSync(binary)) throw new PrometheusNotInstalledError(binary);
  }
  const host = options.host ?? PROMETHEUS_SANDBOX_DEFAULTS.host;
  const requestedPort = options.port ?? PROMETHEUS_SANDBOX_DEFAULTS.port;
  const timings: PrometheusSandboxTimings = { generateMs: 0, writeMs: 0, backfillMs: 0, startMs: 0 };
  // Fail before the work of generating and backfilling when the port is taken.
  if (requestedPort !== 0) await ensureFree(host, requestedPort, options.portSetting);

  let clock = Date.now();
  const generator = options.dataset ? undefined : (options.generator ?? defaultSandboxGenerator());
  const dataset = options.dataset ?? generator!.dataset;
  timings.generateMs = Date.now() - clock;

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-sandbox-prometheus-'));
  const dataDir = options.dataDir ?? path.join(workDir, 'data');
  const removeWorkDir = () => fs.rmSync(workDir, { recursive: true, force: true });
  try {
    clock = Date.now();
    const input = path.join(workDir, 'series.om');
    await writeOpenMetrics(dataset, input);
    timings.writeMs = Date.now() - clock;

    clock = Date.now();
    fs.mkdirSync(dataDir, { recursive: true });
    const backfill = await run(promtoolBinary, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', input, dataDir]);
    if (backfill.code !== 0) {
      throw new Error(`promtool could not backfill the series (exit ${backfill.code}):\n${backfill.output.slice(-2000)}`);
    }
    fs.rmSync(input);
    timings.backfillMs = Date.now() - clock;

    clock = Date.now();
    const exporter = generator ? await startExporter(generator, host) : undefined;
    const scrapeInterval = `${dataset.intervalMs / 1000}s`;
    const configFile = path.join(workDir, 'prometheus.yml');
    fs.writeFileSync(
      configFile,
      stringify({
        global: { scrape_interval: scrapeInterval },
        scrape_configs: exporter
          ? [
              {
                job_name: 'mesh-sandbox',
                // The series carry their own instance and job labels, as Kong's and the sidecars' would.
                honor_labels: true,
                static_configs: [{ targets: [exporter.address] }],
              },
            ]
          : [],
      }),
    );

    // Another server on the port would answer /-/ready in Prometheus' place: check again.
    const port = await (requestedPort === 0 ? freePort(host) : ensureFree(host, requestedPort, options.portSetting)).catch(
      async error => {
        await exporter?.close();
        throw error;
      },
    );
    const running = await startProcess({
      prometheusBinary,
      args: [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${dataDir}`,
        `--web.listen-address=${host}:${port}`,
        // Blocks are kept by age from the newest one; the data is hours old at most.
        '--storage.tsdb.retention.time=15d',
      ],
      host,
      port,
      timeoutMs: options.startTimeoutMs ?? PROMETHEUS_SANDBOX_DEFAULTS.startTimeoutMs,
      portSetting: options.portSetting ?? 'the port option (0 picks a free port)',
    }).catch(async error => {
      await exporter?.close();
      throw error;
    });
    timings.startMs = Date.now() - clock;

    let closing: Promise<void> | undefined;
    return {
      url: running.url,
      port,
      dataset,
      dataDir,
      timings,
      close: () => {
        // The work directory holds the config, and the TSDB unless a dataDir was given.
        closing ??= running
          .stop()
          .then(() => exporter?.close())
          .finally(removeWorkDir);
        return closing;
      },
    };
  } catch (error) {
    removeWorkDir();
    throw error;
  }
}

interface StartProcessOptions {
  prometheusBinary: string;
  args: string[];
  host: string;
  port: number;
  timeoutMs: number;
  portSetting: string;
}

/**
 * Runs Prometheus under a shell that stops it when this process's pipe to the shell closes, so
 * that a test runner killed mid-run leaves no Prometheus behind.
 */
async function startProcess(options: StartProcessOptions): Promise<{ url: string; stop(): Promise<void> }> {
  const { host, port } = options;
  const child: ChildProcess = spawn(
    'sh',
    // A background job's stdin is /dev/null, so the pipe is handed to the watcher as fd 3.
    ['-c', 'exec 3<&0; "$@" & pid=$!; (cat <&3 >/dev/null; kill $pid 2>/dev/null) & wait $pid', 'prometheus-sandbox', options.prometheusBinary, ...options.args],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let output = '';
  const onOutput = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));

  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  const url = `http://${hostForUrl}:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };

  const deadline = Date.now() + options.timeoutMs;
  let exitCode: number | null | undefined;
  exited.then(code => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      if (/address already in use/.test(output)) {
        throw new PortInUseError(port, host, 'Prometheus sandbox', options.portSetting);
      }
      throw new Error(`prometheus exited with ${exitCode} before it was ready:\n${output.slice(-2000)}`);
    }
    try {
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      if (response.ok) return { url, stop };
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error(`prometheus was not ready within ${options.timeoutMs} ms:\n${output.slice(-2000)}`);
}
