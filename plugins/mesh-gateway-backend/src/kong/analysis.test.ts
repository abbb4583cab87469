import type { KongPluginInfo, KongServiceView } from '@internal/plugin-mesh-gateway-common';
import { analyseKongService } from './analysis';
import { effectivePluginsForRoute, pluginScope } from './effectivePlugins';

function plugin(p: Partial<KongPluginInfo> & { id: string; name: string }): KongPluginInfo {
  return { enabled: true, config: {}, route: null, service: null, consumer: null, ...p, scope: pluginScope(p) };
}

const compliantPlugins = [
  plugin({ id: 'jwt', name: 'jwt', service: 'svc', config: { claims_to_verify: ['exp'], key_claim_name: 'iss' } }),
  plugin({ id: 'rt', name: 'request-transformer', service: 'svc', config: { add: { headers: ['x-request-source:kong-gateway'] } } }),
  plugin({ id: 'prom', name: 'prometheus' }),
  plugin({ id: 'otel', name: 'opentelemetry' }),
];

/** A service view that meets every gateway rule; each test case breaks one thing. */
function view(change: (v: KongServiceView) => void = () => {}): KongServiceView {
  const v: KongServiceView = {
    instance: 'default',
    service: {
      id: 'svc',
      name: 'ai-agent-service',
      host: 'ai-agent-service.parallel-ai.svc.cluster.local',
      port: 8080,
      protocol: 'http',
      retries: 3,
      connect_timeout: 30000,
      read_timeout: 30000,
      write_timeout: 30000,
      enabled: true,
    },
    plugins: [...compliantPlugins],
    routes: [
      { id: 'r1', name: 'ai-agent', protocols: ['https'], methods: ['GET', 'POST'], paths: ['/api/v1/ai-agent'], strip_path: false, plugins: [], consumerPlugins: [] },
    ],
  };
  change(v);
  v.routes = v.routes.map(r => ({ ...r, ...effectivePluginsForRoute(v.plugins, r.id, v.service.id) }));
  return v;
}

const codes = (v: KongServiceView) => analyseKongService(v).map(f => f.code);

describe('analyseKongService', () => {
  it('finds nothing in a service that meets the baseline', () => {
    expect(analyseKongService(view())).toEqual([]);
  });

  it.each<[string, (v: KongServiceView) => void, string | string[]]>([
    ['no jwt plugin', v => { v.plugins = v.plugins.filter(p => p.name !== 'jwt'); }, 'MG-KONG-001'],
    ['jwt plugin disabled', v => { v.plugins = v.plugins.map(p => (p.name === 'jwt' ? { ...p, enabled: false } : p)); }, ['MG-KONG-001', 'MG-KONG-013']],
    ['jwt without exp', v => { v.plugins[0] = { ...v.plugins[0], config: { claims_to_verify: ['nbf'] } }; }, 'MG-KONG-002'],
    ['jwt with the documents\' aud', v => { v.plugins[0] = { ...v.plugins[0], config: { claims_to_verify: ['exp', 'aud'] } }; }, 'MG-KONG-003'],
    ['no request-source header', v => { v.plugins[1] = { ...v.plugins[1], config: { add: { headers: ['x-other:1'] } } }; }, 'MG-KONG-004'],
    ['strip_path true', v => { v.routes[0].strip_path = true; }, 'MG-KONG-005'],
    ['external host', v => { v.service.host = 'ai.example.com'; }, 'MG-KONG-006'],
    ['retries 5', v => { v.service.retries = 5; }, 'MG-KONG-007'],
    ['read timeout 60 s', v => { v.service.read_timeout = 60000; }, 'MG-KONG-008'],
    ['no prometheus', v => { v.plugins = v.plugins.filter(p => p.name !== 'prometheus'); }, 'MG-KONG-009'],
    ['no tracing', v => { v.plugins = v.plugins.filter(p => p.name !== 'opentelemetry'); }, 'MG-KONG-010'],
    ['plain http accepted', v => { v.routes[0].protocols = ['http', 'https']; }, 'MG-KONG-011'],
    ['unhealthy target', v => { v.service.host = 'ai-upstream'; v.upstream = { id: 'u', name: 'ai-upstream', targets: [{ target: 'ai-agent-service.parallel-ai.svc.cluster.local:8080', weight: 100, health: 'UNHEALTHY' }] }; }, 'MG-KONG-012'],
    ['disabled plugin', v => { v.plugins.push(plugin({ id: 'cors', name: 'cors', route: 'r1', enabled: false })); }, 'MG-KONG-013'],
    ['service disabled', v => { v.service.enabled = false; }, 'MG-KONG-014'],
  ])('%s → %s', (_name, change, code) => {
    expect(codes(view(change))).toEqual([code].flat());
  });

  it('accepts an upstream host whose targets are in-cluster Services', () => {
    const v = view(x => {
      x.service.host = 'ai-upstream';
      x.upstream = { id: 'u', name: 'ai-upstream', targets: [{ target: 'ai-agent-service.parallel-ai.svc.cluster.local:8080', weight: 100, health: 'HEALTHY' }] };
    });
    expect(codes(v)).toEqual([]);
  });

  it('gives each finding the object, message and the rule\'s fix', () => {
    const [finding] = analyseKongService(view(v => { v.routes[0].strip_path = true; }));
    expect(finding).toEqual({
      code: 'MG-KONG-005',
      severity: 'warning',
      object: 'kong/default/routes/ai-agent',
      message: expect.stringContaining('strip_path is true'),
      fix: expect.stringContaining('strip_path: false'),
    });
  });
});
