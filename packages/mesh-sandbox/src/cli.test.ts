import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { main, parseCliOptions } from './cli';
import { MESH_SANDBOX_DEFAULTS } from './sandbox';
import { httpGet } from './testing/httpGet';

const BIN = path.resolve(__dirname, '../bin/mesh-sandbox');
const REPO_ROOT = path.resolve(__dirname, '../../..');

// Sandboxes started here write their root CA in a directory of their own, never over the default
// file a running `yarn start` reads.
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'mesh-sandbox-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('parseCliOptions', () => {
  it('defaults to ports 8001 and 8002 on loopback', () => {
    expect(JSON.parse(JSON.stringify(parseCliOptions([], {})))).toEqual({
      host: '127.0.0.1',
      kongPort: 8001,
      kongEePort: 8002,
      kongEeToken: 'mesh-sandbox-admin-token',
      scaleRoutes: 0,
      kongEe: true,
      kubernetesPort: 8003,
      kubernetesToken: 'mesh-sandbox-kubernetes-token',
      scaleIstio: 0,
      jaegerPort: 16686,
      jaeger: true,
      prometheusPort: 9090,
      prometheus: true,
      tlsPort: 8443,
      tlsCaFile: '/tmp/mesh-sandbox/tls-ca.pem',
      tls: true,
      help: false,
    });
  });

  it('reads environment variables, and flags win over them', () => {
    const env = {
      MESH_SANDBOX_KONG_PORT: '9001',
      MESH_SANDBOX_KONG_EE_PORT: '9002',
      MESH_SANDBOX_SCALE_ROUTES: '100',
    };
    expect(parseCliOptions([], env)).toMatchObject({
      kongPort: 9001,
      kongEePort: 9002,
      scaleRoutes: 100,
    });
    expect(
      parseCliOptions(['--kong-port', '7001', '--host', '::1'], env),
    ).toMatchObject({ kongPort: 7001, host: '::1' });
  });

  it('writes the TLS root CA where app-config.yaml and scripts/dev read it, whatever TMPDIR says', () => {
    const tmpdir = process.env.TMPDIR;
    process.env.TMPDIR = '/var/tmp/elsewhere';
    try {
      expect(parseCliOptions([], {}).tlsCaFile).toBe(
        MESH_SANDBOX_DEFAULTS.tlsCaFile,
      );
    } finally {
      if (tmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpdir;
    }
    const appConfig = parse(
      readFileSync(path.join(REPO_ROOT, 'app-config.yaml'), 'utf8'),
    );
    expect(appConfig.meshGateway.certificates.probe.caBundleFile).toBe(
      `\${MESH_SANDBOX_TLS_CA_FILE:-${MESH_SANDBOX_DEFAULTS.tlsCaFile}}`,
    );
    const dev = readFileSync(path.join(REPO_ROOT, 'scripts/dev'), 'utf8');
    expect(dev).toContain(
      `tls_ca_file="\${MESH_SANDBOX_TLS_CA_FILE:-${MESH_SANDBOX_DEFAULTS.tlsCaFile}}"`,
    );
    expect(dev).toContain('export MESH_SANDBOX_TLS_CA_FILE="$tls_ca_file"');
    expect(dev).toContain('--tls-ca-file "$tls_ca_file"');
  });

  it('takes the CA file and the Prometheus binaries from flags or the environment, as absolute paths', () => {
    expect(
      parseCliOptions([], {
        MESH_SANDBOX_TLS_CA_FILE: 'relative/ca.pem',
        MESH_SANDBOX_PROMETHEUS_BINARY: '/opt/prometheus/prometheus',
        MESH_SANDBOX_PROMTOOL_BINARY: '/opt/prometheus/promtool',
      }),
    ).toMatchObject({
      tlsCaFile: path.resolve('relative/ca.pem'),
      prometheusBinary: '/opt/prometheus/prometheus',
      promtoolBinary: '/opt/prometheus/promtool',
    });
    expect(
      parseCliOptions(
        ['--tls-ca-file', '/srv/ca.pem', '--prometheus-binary', '/bin/p'],
        { MESH_SANDBOX_PROMETHEUS_BINARY: '/opt/prometheus/prometheus' },
      ),
    ).toMatchObject({ tlsCaFile: '/srv/ca.pem', prometheusBinary: '/bin/p' });
  });

  it.each([
    [['--kong-port', 'eighty'], /--kong-port/],
    [['--kong-ee-port', '70000'], /--kong-ee-port/],
    [['--scale-routes', '-1'], /--scale-routes/],
    [['--bogus'], /bogus/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliOptions(argv, {})).toThrow(message);
  });
});

function io(stop: Promise<string>) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
      stopSignal: () => stop,
    },
  };
}

/** Resolves once the CLI has printed that it serves. */
function untilServing(out: string[]): Promise<void> {
  return new Promise<void>(resolve => {
    const poll = () => (out.some(l => l.startsWith('Press Ctrl+C')) ? resolve() : setTimeout(poll, 5));
    poll();
  });
}

describe('main', () => {
  it('prints the URLs, serves until stopped, then exits 0', async () => {
    let stop!: (signal: string) => void;
    const captured = io(new Promise<string>(resolve => (stop = resolve)));
    const running = main(
      ['--kong-port', '0', '--kong-ee-port', '0', '--kubernetes-port', '0', '--jaeger-port', '0', '--no-prometheus', '--tls-port', '0', '--tls-ca-file', path.join(tmp, 'ca.pem')],
      {},
      captured.io,
    );
    await untilServing(captured.out);
    const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(captured.out[0])![1];
    expect((await httpGet(url, '/services')).status).toBe(200);
    expect(captured.out[1]).toMatch(
      /\/platform .*Kong-Admin-Token: mesh-sandbox-admin-token/,
    );
    stop('SIGTERM');
    expect(await running).toBe(0);
    expect(captured.out.at(-1)).toBe('mesh-sandbox: stopped (SIGTERM)');
  });

  it('says on stderr that Prometheus is not installed, and serves everything else', async () => {
    let stop!: (signal: string) => void;
    const captured = io(new Promise<string>(resolve => (stop = resolve)));
    const running = main(
      [
        '--kong-port', '0', '--kong-ee-port', '0', '--kubernetes-port', '0', '--jaeger-port', '0', '--tls-port', '0',
        '--prometheus-port', '0', '--prometheus-binary', '/nonexistent/mesh-sandbox/prometheus',
        '--tls-ca-file', path.join(tmp, 'ca.pem'),
      ],
      {},
      captured.io,
    );
    await untilServing(captured.out);
    try {
      expect(captured.err).toEqual([
        expect.stringMatching(
          /^mesh-sandbox: Prometheus not started: \/nonexistent\/mesh-sandbox\/prometheus is missing: install Prometheus with "apt-get install prometheus" .*--prometheus-binary/,
        ),
      ]);
      const lines = captured.out.join('\n');
      expect(lines).not.toContain('Prometheus (Kong and Istio series)');
      const url = (label: RegExp) =>
        new RegExp(`${label.source}\\s+(http://127\\.0\\.0\\.1:\\d+)`).exec(lines)![1];
      expect((await httpGet(url(/Kong Admin API \(OSS\):/), '/status')).status).toBe(200);
      expect(
        (
          await httpGet(url(/Kubernetes API:/), '/version', {
            Authorization: 'Bearer mesh-sandbox-kubernetes-token',
          })
        ).status,
      ).toBe(200);
      expect((await httpGet(url(/Jaeger query .*:/), '/api/services')).status).toBe(200);
      expect(lines).toMatch(/TLS endpoints \(by SNI\): +https:\/\/127\.0\.0\.1:\d+/);
      expect(readFileSync(path.join(tmp, 'ca.pem'), 'utf8')).toContain('CERTIFICATE');
    } finally {
      stop('SIGTERM');
    }
    expect(await running).toBe(0);
  });

  it('exits 1 with a clear message when a port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const captured = io(new Promise(() => {}));
      expect(await main(['--kong-port', String(port)], {}, captured.io)).toBe(
        1,
      );
      expect(captured.err.join('\n')).toContain(
        `port ${port} on 127.0.0.1 is already in use`,
      );
      expect(captured.err.join('\n')).toContain(
        '--kong-port, MESH_SANDBOX_KONG_PORT',
      );
    } finally {
      await new Promise(resolve => blocker.close(resolve));
    }
  });
});

describe('bin/mesh-sandbox', () => {
  // Starting node and compiling the sources takes a few seconds on a busy machine.
  jest.setTimeout(30_000);

  function run(
    args: string[],
    onLine?: (line: string, kill: (signal: NodeJS.Signals) => void) => void,
  ) {
    return new Promise<{ code: number | null; stdout: string; stderr: string }>(
      resolve => {
        const child = spawn(process.execPath, [BIN, ...args], {
          env: { ...process.env, MESH_SANDBOX_KONG_PORT: '' },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', chunk => {
          stdout += chunk;
          for (const line of String(chunk).split('\n'))
            onLine?.(line, s => child.kill(s));
        });
        child.stderr.on('data', chunk => (stderr += chunk));
        child.on('close', code => resolve({ code, stdout, stderr }));
      },
    );
  }

  it('runs, and stops cleanly on SIGTERM', async () => {
    const result = await run(
      ['--kong-port', '0', '--kong-ee-port', '0', '--kubernetes-port', '0', '--jaeger-port', '0', '--no-prometheus', '--tls-port', '0', '--tls-ca-file', path.join(tmp, 'ca.pem')],
      (line, kill) => {
        if (line.startsWith('Press Ctrl+C')) kill('SIGTERM');
      },
    );
    expect(result.stdout).toMatch(
      /Kong Admin API \(OSS\): +http:\/\/127\.0\.0\.1:\d+/,
    );
    expect(result.stdout).toContain('mesh-sandbox: stopped (SIGTERM)');
    expect(result.code).toBe(0);
  });

  it('exits 1 on EADDRINUSE', async () => {
    const blocker = createServer();
    await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const result = await run([
        '--kong-port',
        '0',
        '--kong-ee-port',
        String(port),
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `port ${port} on 127.0.0.1 is already in use`,
      );
      expect(result.stderr).toContain('--kong-ee-port');
    } finally {
      await new Promise(resolve => blocker.close(resolve));
    }
  });
});
