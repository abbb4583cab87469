import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  buildAdrCluster,
  buildAdrKongDataset,
  KongAdminServer,
  KubernetesApiServer,
  startKongAdminServer,
  startKubernetesApiServer,
} from '@internal/mesh-sandbox';
import { createServer, Server } from 'node:net';
import request from 'supertest';
import { meshGatewayPlugin } from '../plugin';

/**
 * Annotations name which object, never where to connect: whatever an entity's annotations say,
 * the backend connects only to the hosts in app-config.
 */
describe('annotations cannot choose where the backend connects', () => {
  let trap: Server;
  let trapConnections = 0;
  let trapAddress: string;
  let kong: KongAdminServer;
  let kube: KubernetesApiServer;
  let server: any;

  const hostile = (port: number): string[] => [
    `http://127.0.0.1:${port}/services`,
    `127.0.0.1:${port}`,
    `//127.0.0.1:${port}/x`,
    `@127.0.0.1:${port}`,
    `localhost:${port}`,
    `http%3A%2F%2F127.0.0.1%3A${port}`,
    `%2F%2F127.0.0.1:${port}`,
    `..%2F..%2F127.0.0.1:${port}`,
    `default/..%2F..%2F@127.0.0.1:${port}`,
    `[::1]:${port}`,
    `0x7f000001:${port}`,
    `2130706433:${port}`,
    `user-service#@127.0.0.1:${port}`,
    `user-service?next=http://127.0.0.1:${port}`,
  ];

  beforeAll(async () => {
    trap = createServer(socket => {
      trapConnections++;
      socket.destroy();
    });
    await new Promise<void>(resolve => trap.listen(0, '127.0.0.1', resolve));
    const port = (trap.address() as { port: number }).port;
    trapAddress = `127.0.0.1:${port}`;
    kong = await startKongAdminServer({ port: 0, dataset: buildAdrKongDataset() });
    kube = await startKubernetesApiServer({ objects: buildAdrCluster() });

    const entities: Entity[] = hostile(port).flatMap((value, i): Entity[] => [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: `hostile-${i}`,
          namespace: 'default',
          annotations: {
            'mesh-gateway.io/kong-services': value,
            'mesh-gateway.io/kong-tags': value,
            'mesh-gateway.io/istio-host': value,
            'mesh-gateway.io/tracing-service': value,
            'mesh-gateway.io/tls-hosts': value,
            'mesh-gateway.io/certificates': value,
            'mesh-gateway.io/prometheus-instance': value,
            'mesh-gateway.io/tracing-instance': value,
            'backstage.io/kubernetes-id': value,
            'backstage.io/kubernetes-namespace': value,
            'backstage.io/kubernetes-label-selector': `app=${value}`,
          },
        },
        spec: {},
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: `hostile-ns-${i}`,
          namespace: 'default',
          annotations: {
            'mesh-gateway.io/kong-services': `user-service,${value}`,
            'backstage.io/kubernetes-id': 'user-service',
            'backstage.io/kubernetes-namespace': 'parallel-ai',
            'mesh-gateway.io/istio-host': value,
          },
        },
        spec: {},
      },
    ]);
    ({ server } = await startTestBackend({
      features: [
        meshGatewayPlugin,
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({
          data: {
            meshGateway: {
              kong: { instances: [{ name: 'default', adminUrl: kong.url, timeoutMs: 1000 }] },
              kubernetes: { timeoutMs: 1000 },
              // Probing is allowed for the entity's public hosts only, never for the trap.
              certificates: { probe: { allowedHosts: ['*.parallel-ai.example.com'], timeoutMs: 1000 } },
            },
            kubernetes: {
              clusterLocatorMethods: [{ type: 'config', clusters: [{ name: 'sandbox', url: kube.url, skipTLSVerify: true, authProvider: 'serviceAccount' }] }],
            },
          },
        }),
      ],
    }));
  });
  afterAll(async () => {
    await kong.close();
    await kube.close();
    await new Promise(resolve => trap.close(resolve));
  });

  it('never connects to an address taken from an annotation', async () => {
    const count = hostile(1).length;
    for (let i = 0; i < count; i++) {
      for (const name of [`hostile-${i}`, `hostile-ns-${i}`]) {
        const res = await request(server)
          .get(`/api/mesh-gateway/v1/entities/default/component/${name}?refresh=true`)
          .set('Authorization', mockCredentials.user.header());
        expect(res.status).toBe(200);
      }
    }
    expect(trapConnections).toBe(0);
    // Every request that did go out stayed on the configured hosts, as a path below their root.
    for (const r of kong.requests) {
      expect(r.path.startsWith('/')).toBe(true);
      expect(r.path).not.toContain(trapAddress);
      expect(decodeURIComponent(r.path.split('?')[0])).not.toMatch(/^\/\//);
    }
    for (const r of kube.requests) {
      expect(r.path).not.toContain(trapAddress);
    }
  });
});
