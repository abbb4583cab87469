import { linksFromTraces, meshProxiesOf, serviceGraph } from './dependencies';
import { buildTrace, envoy, ROLE_OPTIONS } from './testTraces';

const sidecar = (app: string, namespace = 'parallel-ai') => ({
  'istio.canonical_service': app,
  'istio.namespace': namespace,
});

/** Kong → its sidecar → ai-agent's sidecar → ai-agent-service → (its sidecar → user-service's sidecar → user-service). */
const agentTrace = () =>
  buildTrace({
    service: 'kong',
    scope: 'kong-internal',
    ms: 60,
    children: [
      envoy(
        'kong.kong',
        50,
        'client',
        [
          envoy(
            'ai-agent-service.parallel-ai',
            48,
            'server',
            [
              {
                service: 'ai-agent-service',
                ms: 45,
                children: [
                  {
                    service: 'ai-agent-service',
                    kind: 'client',
                    ms: 10,
                    children: [
                      envoy(
                        'ai-agent-service.parallel-ai',
                        9,
                        'client',
                        [
                          envoy(
                            'user-service.parallel-ai',
                            8,
                            'server',
                            [{ service: 'user-service', ms: 7 }],
                            sidecar('user-service'),
                          ),
                        ],
                        sidecar('ai-agent-service'),
                      ),
                    ],
                  },
                ],
              },
            ],
            sidecar('ai-agent-service'),
          ),
        ],
        sidecar('kong', 'kong'),
      ),
    ],
  });

describe('linksFromTraces', () => {
  it('counts a call for every span whose parent belongs to another service, as Jaeger does', () => {
    const links = linksFromTraces([agentTrace(), agentTrace()]);
    expect(
      links.map(l => `${l.parent} → ${l.child}: ${l.callCount}`).sort(),
    ).toEqual([
      'ai-agent-service → ai-agent-service.parallel-ai: 2',
      'ai-agent-service.parallel-ai → ai-agent-service: 2',
      'ai-agent-service.parallel-ai → user-service.parallel-ai: 2',
      'kong → kong.kong: 2',
      'kong.kong → ai-agent-service.parallel-ai: 2',
      'user-service.parallel-ai → user-service: 2',
    ]);
  });
});

describe('serviceGraph', () => {
  const traces = [agentTrace(), agentTrace(), agentTrace()];
  const proxies = meshProxiesOf(traces, ROLE_OPTIONS);
  const isGateway = (name: string) => name === 'kong';

  it("knows each sidecar's app from the spans next to it, else from istio.canonical_service", () => {
    expect(Object.fromEntries(proxies)).toEqual({
      'kong.kong': 'kong',
      'ai-agent-service.parallel-ai': 'ai-agent-service',
      'user-service.parallel-ai': 'user-service',
    });
    // Kong reports as `kong-gateway` while its pod's canonical service is `kong`: its spans win.
    const renamed = buildTrace({
      service: 'kong-gateway',
      scope: 'kong-internal',
      ms: 30,
      children: [
        envoy(
          'kong.kong',
          20,
          'client',
          [envoy('orphan.parallel-ai', 10, 'server', [], sidecar('orphan'))],
          sidecar('kong', 'kong'),
        ),
      ],
    });
    expect(Object.fromEntries(meshProxiesOf([renamed], ROLE_OPTIONS))).toEqual({
      'kong.kong': 'kong-gateway',
      // No app span below it: the tag names the app.
      'orphan.parallel-ai': 'orphan',
    });
  });

  it("folds sidecars into their apps and keeps the focus service's neighbourhood", () => {
    const graph = serviceGraph(linksFromTraces(traces), {
      focus: 'ai-agent-service',
      source: 'trace-spans',
      proxies,
      isGateway,
    });
    expect(graph).toEqual({
      source: 'trace-spans',
      nodes: [
        { id: 'ai-agent-service', kind: 'service', focus: true },
        { id: 'kong', kind: 'gateway', focus: false },
        { id: 'user-service', kind: 'service', focus: false },
      ],
      edges: [
        { from: 'ai-agent-service', to: 'user-service', callCount: 3 },
        { from: 'kong', to: 'ai-agent-service', callCount: 3 },
      ],
    });
  });

  it('keeps links among the neighbours, and leaves out services two hops away', () => {
    const links = [
      { parent: 'kong', child: 'ai-agent-service', callCount: 10 },
      { parent: 'kong', child: 'user-service', callCount: 4 },
      { parent: 'ai-agent-service', child: 'user-service', callCount: 9 },
      { parent: 'user-service', child: 'postgres', callCount: 13 },
      { parent: 'ai-agent-service', child: 'analytics-service', callCount: 10 },
    ];
    const graph = serviceGraph(links, {
      focus: 'user-service',
      source: 'dependencies-api',
      proxies: new Map(),
      isGateway,
    });
    expect(graph.nodes.map(n => n.id)).toEqual([
      'user-service',
      'ai-agent-service',
      'kong',
      'postgres',
    ]);
    expect(graph.edges).toEqual([
      { from: 'ai-agent-service', to: 'user-service', callCount: 9 },
      { from: 'kong', to: 'ai-agent-service', callCount: 10 },
      { from: 'kong', to: 'user-service', callCount: 4 },
      { from: 'user-service', to: 'postgres', callCount: 13 },
    ]);
  });

  it('keeps a sidecar without a known app as a proxy node, and never folds the focus itself', () => {
    const links = [
      { parent: 'istio-proxy', child: 'user-service', callCount: 2 },
      {
        parent: 'user-service.parallel-ai',
        child: 'user-service',
        callCount: 5,
      },
    ];
    const unknown = new Map<string, string | undefined>([
      ['istio-proxy', undefined],
      ['user-service.parallel-ai', 'user-service'],
    ]);
    expect(
      serviceGraph(links, {
        focus: 'user-service',
        source: 'dependencies-api',
        proxies: unknown,
        isGateway,
      }).nodes,
    ).toEqual([
      { id: 'user-service', kind: 'service', focus: true },
      { id: 'istio-proxy', kind: 'proxy', focus: false },
    ]);
    const focusOnSidecar = serviceGraph(links, {
      focus: 'user-service.parallel-ai',
      source: 'dependencies-api',
      proxies: unknown,
      isGateway,
    });
    expect(focusOnSidecar.edges).toEqual([
      { from: 'user-service.parallel-ai', to: 'user-service', callCount: 5 },
    ]);
  });

  it('shows the focus alone when nothing links to it', () => {
    expect(
      serviceGraph([], {
        focus: 'lonely',
        source: 'trace-spans',
        proxies: new Map(),
        isGateway,
      }),
    ).toEqual({
      source: 'trace-spans',
      nodes: [{ id: 'lonely', kind: 'service', focus: true }],
      edges: [],
    });
  });
});
