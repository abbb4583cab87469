import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { main, parseCliOptions } from './cli';
import { httpGet } from './testing/httpGet';

const BIN = path.resolve(__dirname, '../bin/mesh-sandbox');

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
      tlsCaFile: expect.stringContaining('tls-ca.pem'),
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

describe('main', () => {
  it('prints the URLs, serves until stopped, then exits 0', async () => {
    let stop!: (signal: string) => void;
    const captured = io(new Promise<string>(resolve => (stop = resolve)));
    const running = main(
      ['--kong-port', '0', '--kong-ee-port', '0', '--kubernetes-port', '0', '--jaeger-port', '0', '--no-prometheus', '--tls-port', '0'],
      {},
      captured.io,
    );
    await new Promise<void>(resolve => {
      const poll = () =>
        captured.out.some(l => l.startsWith('Press Ctrl+C'))
          ? resolve()
          : setTimeout(poll, 5);
      poll();
    });
    const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(captured.out[0])![1];
    expect((await httpGet(url, '/services')).status).toBe(200);
    expect(captured.out[1]).toMatch(
      /\/platform .*Kong-Admin-Token: mesh-sandbox-admin-token/,
    );
    stop('SIGTERM');
    expect(await running).toBe(0);
    expect(captured.out.at(-1)).toBe('mesh-sandbox: stopped (SIGTERM)');
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
      ['--kong-port', '0', '--kong-ee-port', '0', '--kubernetes-port', '0', '--jaeger-port', '0', '--no-prometheus', '--tls-port', '0'],
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
