import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PortInUseError } from './listen';
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

  it('rejects invalid configuration', async () => {
    await expect(
      startMeshSandbox({ kong: { oss: { port: -1 } } }),
    ).rejects.toThrow(/kong\.oss\.port/);
  });
});
