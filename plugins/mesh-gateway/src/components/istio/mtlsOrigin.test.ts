import type {
  IstioWorkloadView,
  KubernetesObjectView,
  MtlsSource,
} from '@internal/plugin-mesh-gateway-common';
import { istioWorkload } from '../../__testUtils__/istioSection';
import {
  describeMtlsOrigin,
  describePortOrigin,
  overriddenScope,
} from './mtlsOrigin';

function peerAuthentication(
  namespace: string,
  name: string,
  mode: string | undefined,
  options: { selector?: Record<string, string>; created?: string } = {},
): KubernetesObjectView {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: {
      name,
      namespace,
      creationTimestamp: options.created ?? '2026-10-01T08:00:00Z',
    },
    spec: {
      ...(options.selector
        ? { selector: { matchLabels: options.selector } }
        : {}),
      ...(mode ? { mtls: { mode } } : {}),
    },
  };
}

function view(
  source: MtlsSource,
  mode: IstioWorkloadView['mtls']['mode'],
  objects: KubernetesObjectView[],
  ignored: IstioWorkloadView['mtls']['ignored'] = [],
): IstioWorkloadView {
  const base = istioWorkload('user-service');
  return { ...base, objects, mtls: { ...base.mtls, mode, source, ignored } };
}

const workloadPolicy = peerAuthentication(
  'parallel-ai',
  'user-service-legacy-clients',
  'PERMISSIVE',
  { selector: { app: 'user-service' } },
);

describe('describeMtlsOrigin', () => {
  it.each<[string, IstioWorkloadView, string]>([
    [
      'no policy at all',
      view({ scope: 'default' }, 'PERMISSIVE', []),
      "No PeerAuthentication applies: Istio's default, PERMISSIVE, accepts plain text and mTLS.",
    ],
    [
      'a mesh-wide policy only',
      view({ scope: 'mesh', policy: 'istio-system/default' }, 'STRICT', [
        peerAuthentication('istio-system', 'default', 'STRICT'),
      ]),
      'Mesh-wide policy istio-system/default.',
    ],
    [
      'a namespace policy over a mesh-wide one',
      view({ scope: 'namespace', policy: 'parallel-ai/default' }, 'DISABLE', [
        peerAuthentication('parallel-ai', 'default', 'DISABLE'),
        peerAuthentication('istio-system', 'default', 'STRICT'),
      ]),
      'Namespace policy parallel-ai/default overrides mesh-wide STRICT (istio-system/default).',
    ],
    [
      'the ADR fault: a workload policy over a STRICT namespace',
      istioWorkload('user-service'),
      'Workload policy parallel-ai/user-service-legacy-clients overrides namespace STRICT (parallel-ai/default).',
    ],
    [
      'a workload policy over an UNSET namespace policy, which inherits the mesh',
      view(
        {
          scope: 'workload',
          policy: 'parallel-ai/user-service-legacy-clients',
        },
        'PERMISSIVE',
        [
          workloadPolicy,
          peerAuthentication('parallel-ai', 'default', undefined),
          peerAuthentication('istio-system', 'default', 'STRICT'),
        ],
      ),
      'Workload policy parallel-ai/user-service-legacy-clients overrides mesh-wide STRICT (istio-system/default).',
    ],
    [
      'a workload policy with nothing below it',
      view(
        {
          scope: 'workload',
          policy: 'parallel-ai/user-service-legacy-clients',
        },
        'PERMISSIVE',
        [workloadPolicy],
      ),
      'Workload policy parallel-ai/user-service-legacy-clients.',
    ],
  ])('%s', (_, workload, expected) => {
    expect(describeMtlsOrigin(workload)).toBe(expected);
  });
});

describe('overriddenScope', () => {
  const workloadSource: MtlsSource = {
    scope: 'workload',
    policy: 'parallel-ai/user-service-legacy-clients',
  };

  it('takes the oldest namespace-wide policy, as Istio does', () => {
    const workload = view(workloadSource, 'PERMISSIVE', [
      workloadPolicy,
      peerAuthentication('parallel-ai', 'newer', 'DISABLE', {
        created: '2026-10-03T00:00:00Z',
      }),
      peerAuthentication('parallel-ai', 'older', 'STRICT', {
        created: '2026-09-01T00:00:00Z',
      }),
    ]);

    expect(overriddenScope(workload, 'workload')).toEqual({
      scope: 'namespace',
      mode: 'STRICT',
      policy: 'parallel-ai/older',
    });
  });

  it('skips policies the backend reports as ignored and selector policies in the root namespace', () => {
    const workload = view(
      workloadSource,
      'PERMISSIVE',
      [
        workloadPolicy,
        peerAuthentication('parallel-ai', 'loser', 'DISABLE', {
          created: '2026-01-01T00:00:00Z',
        }),
        peerAuthentication('istio-system', 'selects', 'DISABLE', {
          selector: { app: 'user-service' },
        }),
        peerAuthentication('istio-system', 'default', 'STRICT'),
      ],
      [{ policy: 'parallel-ai/loser', reason: 'test' }],
    );

    expect(overriddenScope(workload, 'workload')).toEqual({
      scope: 'mesh',
      mode: 'STRICT',
      policy: 'istio-system/default',
    });
  });

  it('has nothing below the mesh, and no namespace scope for a workload in the root namespace', () => {
    const inRoot = {
      ...view({ scope: 'mesh', policy: 'istio-system/default' }, 'STRICT', [
        peerAuthentication('istio-system', 'default', 'STRICT'),
      ]),
      namespace: 'istio-system',
    };
    expect(overriddenScope(inRoot, 'mesh')).toBeUndefined();
    expect(overriddenScope(inRoot, 'workload')).toEqual({
      scope: 'mesh',
      mode: 'STRICT',
      policy: 'istio-system/default',
    });
  });
});

describe('describePortOrigin', () => {
  it('names a port-level override and what a port inherits', () => {
    const workload = istioWorkload('user-service');
    expect(
      describePortOrigin(workload, {
        port: 9090,
        name: 'http-metrics',
        targetPort: 15090,
        mode: 'DISABLE',
        source: {
          scope: 'port',
          policy: 'parallel-ai/user-service-legacy-clients',
        },
      }),
    ).toBe(
      'portLevelMtls 15090 in parallel-ai/user-service-legacy-clients overrides the workload PERMISSIVE',
    );
    expect(
      describePortOrigin(workload, {
        port: 8080,
        mode: 'PERMISSIVE',
        source: { scope: 'default' },
      }),
    ).toBe("Workload port 8080 inherits PERMISSIVE from Istio's default");
  });
});
