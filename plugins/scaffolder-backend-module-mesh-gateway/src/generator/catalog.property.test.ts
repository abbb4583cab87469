import {
  KUBERNETES_ANNOTATIONS,
  MESH_GATEWAY_ANNOTATIONS,
  parseCertificateNames,
  parseHostList,
  parseIstioHost,
  parseKongServiceRefs,
  parseKongTags,
  parseServiceSpec,
  ServiceSpec,
  ServiceSpecInput,
  sloTargets,
} from '@internal/plugin-mesh-gateway-common';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { catalogFiles } from './catalog';
import { certificate as certificateOf } from './certificates';
import { prometheusRule } from './observability';
import { FUZZ_RUNS, serviceSpecInput } from '../__testUtils__/arbitraries';
import { kongTag, sloAvailability } from './common';

function parsed(input: ServiceSpecInput): ServiceSpec {
  const result = parseServiceSpec(input);
  if (!result.success) {
    throw new Error(JSON.stringify(result.issues));
  }
  return result.spec;
}

/** The catalog entities as the catalog reads catalog-info.yaml. */
function catalogInfo(spec: ServiceSpec): any[] {
  const [file] = catalogFiles(spec);
  expect(file.path).toBe('catalog-info.yaml');
  return parseAllDocuments(file.content).map(d => d.toJS());
}

const A = MESH_GATEWAY_ANNOTATIONS;

/** Every annotation is parsed with -common's parsers: the ones the backend's sections use. */
describe('catalog annotations over random valid specs', () => {
  it('parse as the Mesh tab parses them, to the values the generated objects use', () => {
    fc.assert(
      fc.property(serviceSpecInput, input => {
        const spec = parsed(input);
        const entities = catalogInfo(spec);
        const certificate = certificateOf(spec);
        const rule = prometheusRule(spec) as any;
        for (const entity of entities) {
          const annotations: Record<string, unknown> =
            entity.metadata.annotations;
          // The catalog keeps only string annotations.
          for (const value of Object.values(annotations)) {
            expect(typeof value).toBe('string');
          }
          const a = annotations as Record<string, string>;

          // The Kong service by name (deck) or by tag (kic), never both.
          const kong = {
            services:
              a[A.kongServices] === undefined
                ? undefined
                : parseKongServiceRefs(a[A.kongServices]),
            tags:
              a[A.kongTags] === undefined
                ? undefined
                : parseKongTags(a[A.kongTags]),
          };
          expect(kong).toEqual(
            spec.kong.mode === 'deck'
              ? { services: [{ service: spec.name }], tags: undefined }
              : { services: undefined, tags: [kongTag(spec)] },
          );
          expect(a[KUBERNETES_ANNOTATIONS.id]).toBe(spec.name);
          expect(a[KUBERNETES_ANNOTATIONS.namespace]).toBe(spec.namespace);

          // The SLO is the one the PrometheusRule alerts on.
          const slo = sloTargets(a);
          expect(slo.availability.source).toBe('annotation');
          const availability = slo.availability.value;
          expect(availability).toBe(sloAvailability(spec));
          expect(Math.abs(availability - spec.slo.availability)).toBeLessThan(
            5e-7,
          );
          // The 1x burn-rate alert fires at the error budget itself.
          const budget = Number((1 - availability).toPrecision(6));
          expect(rule.spec.groups[1].rules[3].expr).toContain(`> ${budget}\n`);
          expect(slo.endToEndP95Ms.value).toBe(spec.slo.endToEndP95Ms);
          expect(slo.gatewayP95Ms.value).toBe(spec.slo.gatewayP95Ms);
          const latencyObjectives = rule.spec.groups[1].rules
            .slice(4)
            .map((r: { expr: string }) => Number(r.expr.split('> ').pop()));
          expect(latencyObjectives).toEqual([
            spec.slo.endToEndP95Ms,
            spec.slo.gatewayP95Ms,
          ]);

          // The Istio host is the destination_service the PrometheusRule selects.
          const istioHost = parseIstioHost(a[A.istioHost]);
          expect(rule.spec.groups[0].rules[0].expr).toContain(
            `destination_service="${istioHost}"`,
          );

          // The certificate is the generated one, in the entity's namespace.
          expect(
            parseCertificateNames(
              a[A.certificates],
              a[KUBERNETES_ANNOTATIONS.namespace],
            ),
          ).toEqual([
            {
              namespace: certificate.metadata.namespace,
              name: certificate.metadata.name,
            },
          ]);

          // The public hosts of the certificate, each checked on 443.
          const tlsHosts =
            a[A.tlsHosts] === undefined ? [] : parseHostList(a[A.tlsHosts]);
          for (const { host, port } of tlsHosts) {
            expect(certificate.spec.dnsNames).toContain(host);
            expect(host).not.toMatch(/\.svc\.cluster\.local$/);
            expect(port).toBe(443);
          }
          // Written only when there is a host to check.
          expect(a[A.tlsHosts] === undefined || tlsHosts.length > 0).toBe(true);
          const publicHosts = certificate.spec.dnsNames.filter(
            (host: string) =>
              !host.endsWith('.svc.cluster.local') &&
              /^[a-z]/.test(host.split('.').pop()!),
          );
          expect(tlsHosts.map(h => h.host)).toEqual(publicHosts);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
