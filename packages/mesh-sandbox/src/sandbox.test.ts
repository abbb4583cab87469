import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { PortInUseError } from './listen';
import { PrometheusNotInstalledError } from './prometheus';
import { MESH_SANDBOX_DEFAULTS, startMeshSandbox } from './sandbox';
import { httpGet } from './testing/httpGet';

async function occupyPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, server };
}

async function freePort(): Promise<number> {
  const { port, server } = await occupyPort();
  await new Promise(resolve => server.close(resolve));
  return port;
}

describe('startMeshSandbox', () => {
  it('starts the OSS and the Enterprise-style Kong and stops both', async () => {
    const sandbox = await startMeshSandbox({
      kong: { oss: { port: 0 }, enterprise: { port: 0 } },
      kubernetes: { port: 0 },
      jaeger: { port: 0 },
      prometheus: { enabled: false },
      tls: { port: 0 },
    });
    try {
      const { oss, enterprise } = sandbox.kong;
      expect(sandbox.urls).toEqual({
        kong: oss!.url,
        'kong-enterprise': enterprise!.url,
        kubernetes: sandbox.kubernetes!.url,
        jaeger: sandbox.jaeger!.url,
        tls: sandbox.tls!.url,
      });
      const namespace = await httpGet(sandbox.kubernetes!.url, '/api/v1/namespaces/parallel-ai', {
        Authorization: `Bearer ${sandbox.kubernetes!.token}`,
      });
      expect(namespace.body.metadata.labels['istio-injection']).toBe('enabled');
      const services = await httpGet(oss!.url, '/services');
      expect(services.body.data).toHaveLength(3);

      expect(enterprise!.workspace).toBe(
        MESH_SANDBOX_DEFAULTS.kongEnterpriseWorkspace,
      );
      const headers = { [enterprise!.authHeader]: enterprise!.adminToken };
      expect(
        (await httpGet(enterprise!.url, '/platform/services')).status,
      ).toBe(401);
      const eeServices = await httpGet(
        enterprise!.url,
        '/platform/services',
        headers,
      );
      expect(
        eeServices.body.data.map((s: { name: string }) => s.name).sort(),
      ).toEqual(services.body.data.map((s: { name: string }) => s.name).sort());
      // A second Kong cluster: same services, other ids.
      expect(eeServices.body.data[0].id).not.toBe(
        services.body.data.find(
          (s: { name: string }) => s.name === eeServices.body.data[0].name,
        ).id,
      );
    } finally {
      await sandbox.close();
    }
    // A kept-alive socket may see the close first; either way nothing answers any more.
    await expect(httpGet(sandbox.urls.kong, '/status')).rejects.toThrow(
      /ECONNREFUSED|socket hang up|ECONNRESET/,
    );
  });

  it('scales the OSS instance on request', async () => {
    const sandbox = await startMeshSandbox({
      kong: {
        oss: { port: 0, scale: { routes: 25, plugins: 30 } },
        enterprise: { enabled: false },
      },
      kubernetes: { enabled: false },
      jaeger: { enabled: false },
      prometheus: { enabled: false },
      tls: { enabled: false },
    });
    try {
      expect(sandbox.kong.enterprise).toBeUndefined();
      const routes = await httpGet(sandbox.urls.kong, '/routes?size=1000');
      expect(routes.body.data).toHaveLength(28);
    } finally {
      await sandbox.close();
    }
  });

  it('names the port and the setting to change when a port is taken, and stops what it started', async () => {
    const ossPort = await freePort();
    const blocker = await occupyPort();
    try {
      const attempt = startMeshSandbox({
        kong: { oss: { port: ossPort }, enterprise: { port: blocker.port } },
        kubernetes: { enabled: false },
      jaeger: { enabled: false },
      prometheus: { enabled: false },
      tls: { enabled: false },
      });
      await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
      await expect(attempt).rejects.toThrow(
        new RegExp(
          `port ${blocker.port} on 127\\.0\\.0\\.1 is already in use.*--kong-ee-port, MESH_SANDBOX_KONG_EE_PORT or config kong\\.enterprise\\.port`,
        ),
      );
      // The OSS server that did start was stopped again: its port is free.
      const again = await startMeshSandbox({
        kong: { oss: { port: ossPort }, enterprise: { enabled: false } },
        kubernetes: { enabled: false },
      jaeger: { enabled: false },
      prometheus: { enabled: false },
      tls: { enabled: false },
      });
      await again.close();
    } finally {
      await new Promise(resolve => blocker.server.close(resolve));
    }
  });

  it('says Prometheus is not installed and starts every other server when its binary is missing', async () => {
    const sandbox = await startMeshSandbox({
      kong: { oss: { port: 0 }, enterprise: { port: 0 } },
      kubernetes: { port: 0 },
      jaeger: { port: 0 },
      prometheus: { port: 0, binary: '/nonexistent/mesh-sandbox/prometheus' },
      tls: { port: 0 },
    });
    try {
      expect(sandbox.prometheus).toBeUndefined();
      expect(sandbox.notices).toEqual([
        expect.stringMatching(
          /^Prometheus not started: \/nonexistent\/mesh-sandbox\/prometheus is missing: install Prometheus with "apt-get install prometheus".*--prometheus-binary.*the other servers run without it$/,
        ),
      ]);
      expect(Object.keys(sandbox.urls).sort()).toEqual([
        'jaeger',
        'kong',
        'kong-enterprise',
        'kubernetes',
        'tls',
      ]);
      expect((await httpGet(sandbox.urls.kong, '/status')).status).toBe(200);
      const enterprise = sandbox.kong.enterprise!;
      expect(
        (
          await httpGet(enterprise.url, '/platform/services', {
            [enterprise.authHeader]: enterprise.adminToken,
          })
        ).status,
      ).toBe(200);
      expect(
        (
          await httpGet(sandbox.urls.kubernetes, '/version', {
            Authorization: `Bearer ${sandbox.kubernetes!.token}`,
          })
        ).status,
      ).toBe(200);
      expect((await httpGet(sandbox.urls.jaeger, '/api/services')).status).toBe(
        200,
      );
      const served = await new Promise<string>((resolve, reject) => {
        const socket = tls.connect(
          {
            host: '127.0.0.1',
            port: sandbox.tls!.port,
            servername: 'api.parallel-ai.example.com',
            ca: sandbox.tls!.caCertificatePem,
          },
          () => {
            resolve(socket.getPeerX509Certificate()!.subject);
            socket.destroy();
          },
        );
        socket.once('error', reject);
      });
      expect(served).toContain('CN=api.parallel-ai.example.com');
    } finally {
      await sandbox.close();
    }
  });

  it('fails, and stops what it started, when Prometheus is asked for and its binary is missing', async () => {
    const ossPort = await freePort();
    const only = {
      kong: { oss: { port: ossPort }, enterprise: { enabled: false } },
      kubernetes: { enabled: false },
      jaeger: { enabled: false },
      tls: { enabled: false },
    };
    const attempt = startMeshSandbox({
      ...only,
      prometheus: {
        enabled: true,
        port: 0,
        binary: '/nonexistent/mesh-sandbox/prometheus',
        promtoolBinary: '/nonexistent/mesh-sandbox/promtool',
      },
    });
    await expect(attempt).rejects.toBeInstanceOf(PrometheusNotInstalledError);
    await expect(attempt).rejects.toThrow(
      '/nonexistent/mesh-sandbox/prometheus is missing',
    );
    // The Kong server that did start was stopped again: its port is free.
    const again = await startMeshSandbox({
      ...only,
      prometheus: { enabled: false },
    });
    await again.close();
  });

  it('rejects invalid configuration', async () => {
    await expect(
      startMeshSandbox({ kong: { oss: { port: -1 } } }),
    ).rejects.toThrow(/kong\.oss\.port/);
  });
});
