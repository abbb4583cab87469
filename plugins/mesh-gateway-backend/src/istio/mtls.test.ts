import { effectiveMtls } from './mtls';
import { inventory, istioObject } from './__testUtils__/testObjects';

const pa = (ns: string, name: string, spec: Record<string, unknown>, created = '2026-01-01T00:00:00Z') =>
  istioObject('PeerAuthentication', ns, name, spec, { creationTimestamp: created });
const selector = { selector: { matchLabels: { app: 'user-service' } } };

describe('effectiveMtls', () => {
  it.each([
    ['no policy at all → PERMISSIVE by default', [], 'PERMISSIVE', 'default', undefined],
    ['mesh STRICT', [pa('istio-system', 'default', { mtls: { mode: 'STRICT' } })], 'STRICT', 'mesh', 'istio-system/default'],
    ['namespace overrides mesh', [pa('istio-system', 'default', { mtls: { mode: 'STRICT' } }), pa('parallel-ai', 'ns', { mtls: { mode: 'PERMISSIVE' } })], 'PERMISSIVE', 'namespace', 'parallel-ai/ns'],
    ['workload overrides namespace (the user-service demo fault)', [pa('parallel-ai', 'ns', { mtls: { mode: 'STRICT' } }), pa('parallel-ai', 'wl', { ...selector, mtls: { mode: 'PERMISSIVE' } })], 'PERMISSIVE', 'workload', 'parallel-ai/wl'],
    ['workload UNSET inherits namespace', [pa('parallel-ai', 'ns', { mtls: { mode: 'STRICT' } }), pa('parallel-ai', 'wl', { ...selector, mtls: { mode: 'UNSET' } })], 'STRICT', 'namespace', 'parallel-ai/ns'],
    ['namespace without mtls inherits mesh', [pa('istio-system', 'mesh', { mtls: { mode: 'DISABLE' } }), pa('parallel-ai', 'ns', {})], 'DISABLE', 'mesh', 'istio-system/mesh'],
    ['mesh UNSET means PERMISSIVE', [pa('istio-system', 'mesh', { mtls: { mode: 'UNSET' } })], 'PERMISSIVE', 'default', undefined],
    ['selector policy in root namespace is ignored', [pa('istio-system', 'rootsel', { ...selector, mtls: { mode: 'STRICT' } })], 'PERMISSIVE', 'default', undefined],
    ['workload policy not matching the labels is ignored', [pa('parallel-ai', 'other', { selector: { matchLabels: { app: 'x' } }, mtls: { mode: 'DISABLE' } })], 'PERMISSIVE', 'default', undefined],
    ['empty matchLabels is namespace-wide', [pa('parallel-ai', 'ns', { selector: { matchLabels: {} }, mtls: { mode: 'STRICT' } })], 'STRICT', 'namespace', 'parallel-ai/ns'],
    ['oldest wins within a scope', [pa('parallel-ai', 'newer', { mtls: { mode: 'PERMISSIVE' } }, '2026-02-01T00:00:00Z'), pa('parallel-ai', 'older', { mtls: { mode: 'STRICT' } }, '2026-01-01T00:00:00Z')], 'STRICT', 'namespace', 'parallel-ai/older'],
    ['other namespaces do not count', [pa('analytics', 'ns', { mtls: { mode: 'STRICT' } })], 'PERMISSIVE', 'default', undefined],
  ])('%s', (_name, policies, mode, scope, policy) => {
    const result = effectiveMtls(inventory({ peerAuthentications: policies }));
    expect(result.mode).toBe(mode);
    expect(result.source).toEqual(policy ? { scope, policy } : { scope });
  });

  it('reports why policies were ignored', () => {
    const result = effectiveMtls(
      inventory({
        peerAuthentications: [
          pa('istio-system', 'rootsel', { ...selector, mtls: { mode: 'STRICT' } }),
          pa('parallel-ai', 'newer', { mtls: { mode: 'PERMISSIVE' } }, '2026-02-01T00:00:00Z'),
          pa('parallel-ai', 'older', { mtls: { mode: 'STRICT' } }),
        ],
      }),
    );
    expect(result.ignored.map(i => i.policy)).toEqual(['istio-system/rootsel', 'parallel-ai/newer']);
  });

  it('resolves port-level mTLS through the Service targetPort, UNSET ports inheriting', () => {
    const result = effectiveMtls(
      inventory({
        service: {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'user-service', namespace: 'parallel-ai' },
          spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'http-metrics', port: 9090, targetPort: 9090 }, { name: 'grpc', port: 9000, targetPort: 9000 }] },
        },
        peerAuthentications: [
          pa('parallel-ai', 'wl', { ...selector, mtls: { mode: 'STRICT' }, portLevelMtls: { '9090': { mode: 'DISABLE' }, '80': { mode: 'DISABLE' }, '9000': { mode: 'UNSET' } } }),
        ],
      }),
    );
    expect(result.ports.map(p => [p.port, p.mode, p.source.scope])).toEqual([
      [80, 'STRICT', 'workload'],
      [9090, 'DISABLE', 'port'],
      [9000, 'STRICT', 'workload'],
    ]);
  });
});
