import {
  parseServiceSpec,
  ServiceSpecInput,
} from '@internal/plugin-mesh-gateway-common';
import { parseAllDocuments } from 'yaml';
import { generateConfiguration } from '../generator';
import { checkBaseline } from './baseline';
import { ParsedObject } from './types';

type Json = any;

function generated(input: Partial<ServiceSpecInput> = {}): ParsedObject[] {
  const result = parseServiceSpec({
    name: 'ai-agent',
    namespace: 'parallel-ai',
    owner: 'group:default/platform',
    auth: { issuer: 'https://auth.example.com' },
    ...input,
  });
  if (!result.success) throw new Error(JSON.stringify(result.issues));
  return generateConfiguration(result.spec)
    .files.filter(f => f.path.endsWith('.yaml'))
    .flatMap(f =>
      parseAllDocuments(f.content).map((d, index) => ({
        file: f.path,
        index,
        value: d.toJS(),
      })),
    );
}

/** Runs the baseline after changing the generated objects; returns the codes found. */
function codesAfter(
  change: (objects: Map<string, Json>) => void,
  input?: Partial<ServiceSpecInput>,
) {
  const objects = generated(input);
  const byKind = new Map<string, Json>();
  for (const o of objects) {
    const value = o.value as Json;
    byKind.set(
      '_format_version' in value
        ? 'deck'
        : `${value.kind}/${value.metadata.name}`,
      value,
    );
  }
  change(byKind);
  return checkBaseline(objects).map(p => p.code);
}

const deckService = (objects: Map<string, Json>) =>
  objects.get('deck').services[0];
const plugins = (objects: Map<string, Json>) =>
  deckService(objects).plugins as Json[];
const without = (objects: Map<string, Json>, name: string) => {
  deckService(objects).plugins = plugins(objects).filter(p => p.name !== name);
};

describe('checkBaseline', () => {
  it('finds nothing in generated configuration', () => {
    expect(checkBaseline(generated())).toEqual([]);
    expect(
      checkBaseline(
        generated({ kong: { mode: 'kic' }, hosts: ['api.example.com'] }),
      ),
    ).toEqual([]);
  });

  it.each<[string, (objects: Map<string, Json>) => void]>([
    ['MG-KONG-001', o => without(o, 'jwt')],
    [
      'MG-KONG-002',
      o => {
        plugins(o).find(p => p.name === 'jwt').config.claims_to_verify = [
          'nbf',
        ];
      },
    ],
    ['MG-KONG-004', o => without(o, 'request-transformer')],
    [
      'MG-KONG-005',
      o => {
        delete deckService(o).routes[0].strip_path;
      },
    ],
    [
      'MG-KONG-006',
      o => {
        deckService(o).host = 'ai-agent.example.com';
      },
    ],
    [
      'MG-KONG-007',
      o => {
        deckService(o).retries = 5;
      },
    ],
    [
      'MG-KONG-008',
      o => {
        deckService(o).read_timeout = 60000;
      },
    ],
    [
      'MG-KONG-009',
      o => {
        plugins(o).find(p => p.name === 'prometheus').config.latency_metrics =
          false;
      },
    ],
    ['MG-KONG-010', o => without(o, 'opentelemetry')],
    [
      'MG-KONG-011',
      o => {
        deckService(o).routes[0].protocols = ['http', 'https'];
      },
    ],
    [
      'MG-KONG-013',
      o => {
        plugins(o)[0].enabled = false;
      },
    ],
    [
      'MG-KONG-014',
      o => {
        deckService(o).enabled = false;
      },
    ],
    [
      'MG-ISTIO-001',
      o => {
        o.get('PeerAuthentication/ai-agent').spec.mtls.mode = 'PERMISSIVE';
      },
    ],
    [
      'MG-ISTIO-002',
      o => {
        o.get('DestinationRule/ai-agent').spec.trafficPolicy.tls.mode =
          'SIMPLE';
      },
    ],
    [
      'MG-ISTIO-003',
      o => {
        o.get(
          'AuthorizationPolicy/ai-agent',
        ).spec.rules[0].from[0].source.principals = ['cluster.local/ns/x/sa/y'];
      },
    ],
    [
      'MG-ISTIO-005',
      o => {
        delete o.get('AuthorizationPolicy/ai-agent').spec.rules[0].from[0]
          .source.requestPrincipals;
      },
    ],
    [
      'MG-ISTIO-006',
      o => {
        delete o.get('DestinationRule/ai-agent').spec.trafficPolicy
          .outlierDetection;
      },
    ],
    [
      'MG-ISTIO-008',
      o => {
        o.get('Namespace/parallel-ai').metadata.labels = {};
      },
    ],
    [
      'MG-ISTIO-009',
      o => {
        o.get(
          'VirtualService/ai-agent',
        ).spec.http[0].route[0].destination.subset = 'gold';
      },
    ],
    [
      'MG-ISTIO-016',
      o => {
        o.get('AuthorizationPolicy/ai-agent').spec.rules = [];
      },
    ],
    [
      'MG-ISTIO-018',
      o => {
        delete o.get('DestinationRule/ai-agent').spec.trafficPolicy
          .connectionPool;
      },
    ],
    [
      'MG-ISTIO-019',
      o => {
        delete o.get('VirtualService/ai-agent').spec.http[1].retries;
      },
    ],
    [
      'MG-ISTIO-013',
      o => {
        o.get('VirtualService/ai-agent').spec.hosts = [
          'other.parallel-ai.svc.cluster.local',
        ];
      },
    ],
  ])('reports %s', (code, change) => {
    expect(codesAfter(change)).toContain(code);
  });

  it('reports a missing RequestAuthentication and a missing PeerAuthentication', () => {
    const objects = generated().filter(
      o =>
        o.value.kind !== 'RequestAuthentication' &&
        o.value.kind !== 'PeerAuthentication',
    );
    expect(checkBaseline(objects)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'MG-ISTIO-001',
          file: '.',
          object: 'service ai-agent.parallel-ai.svc.cluster.local',
        }),
        expect.objectContaining({ code: 'MG-ISTIO-005' }),
      ]),
    );
  });

  it('follows konghq.com/plugins in kic mode and reports a missing KongPlugin', () => {
    const objects = generated({ kong: { mode: 'kic' } });
    const ingress = objects.find(o => o.value.kind === 'Ingress')!
      .value as Json;
    ingress.metadata.annotations['konghq.com/plugins'] =
      'ai-agent-prometheus,ai-agent-nope';
    ingress.metadata.annotations['konghq.com/protocols'] = 'http,https';
    const problems = checkBaseline(objects);
    expect(problems.map(p => p.code)).toEqual(
      expect.arrayContaining([
        'MG-KONG-001',
        'MG-KONG-004',
        'MG-KONG-010',
        'MG-KONG-011',
      ]),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          object: 'Ingress/ai-agent-api',
          field: 'metadata.annotations.konghq.com/plugins',
          message: expect.stringContaining('"ai-agent-nope"'),
        }),
      ]),
    );
  });

  it('carries the rule severity and fix in every finding', () => {
    const [finding] = checkBaseline(
      generated().filter(o => o.value.kind !== 'PeerAuthentication'),
    );
    expect(finding).toEqual(
      expect.objectContaining({
        code: 'MG-ISTIO-001',
        severity: 'critical',
        message: expect.stringContaining('Fix: '),
      }),
    );
  });
});
