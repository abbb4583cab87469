import { MeshGatewayResponseError } from '../../api';
import { parseSectionResult } from '../../api/responseSchemas';
import { istioSection } from '../../__testUtils__/istioSection';

describe('the istio section schema', () => {
  it('accepts what the backend answers for the ADR services', () => {
    for (const service of [
      'ai-agent-service',
      'analytics-service',
      'user-service',
    ] as const) {
      const section = istioSection(service);
      expect(parseSectionResult('istio', section)).toEqual(section);
    }
  });

  it.each<[string, (data: any) => void, string]>([
    [
      'an mTLS mode Istio does not have',
      data => {
        data.workloads[0].mtls.mode = 'UNSET';
      },
      'data.workloads.0.mtls.mode',
    ],
    [
      'an authorization decision it does not know',
      data => {
        data.workloads[0].authorization.decision = 'maybe';
      },
      'data.workloads.0.authorization.decision',
    ],
    [
      'objects that are not a list',
      data => {
        data.workloads[0].objects = {};
      },
      'data.workloads.0.objects',
    ],
    [
      'a forbidden resource without the permission it needs',
      data => {
        delete data.workloads[0].forbidden[0].need;
      },
      'data.workloads.0.forbidden.0.need',
    ],
  ])('rejects %s, naming where', (_, breakIt, path) => {
    const section = istioSection('user-service');
    breakIt(section.data);
    expect(() => parseSectionResult('istio', section)).toThrow(
      MeshGatewayResponseError,
    );
    expect(() => parseSectionResult('istio', section)).toThrow(path);
  });
});
