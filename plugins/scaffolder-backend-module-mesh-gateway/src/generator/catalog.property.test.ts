import {
  KUBERNETES_ANNOTATIONS,
  MESH_GATEWAY_ANNOTATIONS,
  parseKongServiceRefs,
  parseKongTags,
  parseServiceSpec,
  ServiceSpec,
  ServiceSpecInput,
} from '@internal/plugin-mesh-gateway-common';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { catalogFiles } from './catalog';
import { certificate as certificateOf } from './certificates';
import { prometheusRule } from './observability';
import { FUZZ_RUNS, serviceSpecInput } from '../__testUtils__/arbitraries';
import { kongTag, sloAvailability } from './common';

/**
 * How the Mesh tab reads the annotations the generator writes. The Kong ones are parsed with
 * -common's own parsers. The others are parsed only by mesh-gateway-backend, which this module
 * does not depend on; these are copies of its rules, kept to the letter:
 * metrics/analysis.ts `sloTargets`, certificates/hosts.ts `parseHostList`,
 * certificates/CertificatesSectionProvider.ts `parseCertificateNames` and the `istio-host` check
 * of metrics/MetricsSectionProvider.ts and istio/IstioSectionProvider.ts.
 */
const backend = {
  DECIMAL: /^\d{1,6}(\.\d{1,4})?$/,
  availability(value: string): number {
    const percent = Number(value.trim());
    if (!this.DECIMAL.test(value.trim()) || !(percent >= 50 && percent < 100)) {
      throw new Error(`"${value}" is not a percentage from 50 to below 100`);
    }
    return Number((percent / 100).toFixed(6));
  },
  milliseconds(value: string): number {
    const ms = Number(value.trim());
    if (!this.DECIMAL.test(value.trim()) || !(ms > 0 && ms <= 600_000)) {
      throw new Error(`"${value}" is not a number of milliseconds`);
    }
    return ms;
  },
  hostList(value: string): { host: string; port: number }[] {
    const label = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
    return value
      .split(',')
      .map(s => s.trim())
      .filter(Boolean)
      .map(item => {
        const match = /^([^:]+)(?::(\d{1,5}))?$/.exec(item.toLowerCase());
        if (!match) throw new Error(`"${item}" is not host or host:port`);
        const labels = match[1].split('.');
        if (
          match[1].length > 253 ||
          !labels.every(l => label.test(l)) ||
          !/^[a-z]/.test(labels[labels.length - 1])
        ) {
          throw new Error(`"${item}" is not a DNS host name`);
        }
        return { host: match[1], port: match[2] ? Number(match[2]) : 443 };
      });
  },
  certificateNames(value: string, defaultNamespace: string) {
    const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
    const dnsSubdomain =
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
    return value
      .split(',')
      .map(item => item.trim())
      .filter(Boolean)
      .map(item => {
        const parts = item.split('/');
        const [namespace, name] =
          parts.length === 2 ? parts : [defaultNamespace, parts[0]];
        if (
          parts.length > 2 ||
          !dnsLabel.test(namespace) ||
          !dnsSubdomain.test(name) ||
          name.length > 253
        ) {
          throw new Error(`"${item}" is not name or namespace/name`);
        }
        return { namespace, name };
      });
  },
  istioHost(value: string): string {
    if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(value)) {
      throw new Error(`"${value}" is not a host name`);
    }
    return value;
  },
};

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
          const availability = backend.availability(a[A.sloAvailability]);
          expect(availability).toBe(sloAvailability(spec));
          expect(Math.abs(availability - spec.slo.availability)).toBeLessThan(
            5e-7,
          );
          // The 1x burn-rate alert fires at the error budget itself.
          const budget = Number((1 - availability).toPrecision(6));
          expect(rule.spec.groups[1].rules[3].expr).toContain(`> ${budget}\n`);
          expect(backend.milliseconds(a[A.sloP95Ms])).toBe(
            spec.slo.endToEndP95Ms,
          );
          expect(backend.milliseconds(a[A.sloGatewayP95Ms])).toBe(
            spec.slo.gatewayP95Ms,
          );
          const latencyObjectives = rule.spec.groups[1].rules
            .slice(4)
            .map((r: { expr: string }) => Number(r.expr.split('> ').pop()));
          expect(latencyObjectives).toEqual([
            spec.slo.endToEndP95Ms,
            spec.slo.gatewayP95Ms,
          ]);

          // The Istio host is the destination_service the PrometheusRule selects.
          const istioHost = backend.istioHost(a[A.istioHost]);
          expect(rule.spec.groups[0].rules[0].expr).toContain(
            `destination_service="${istioHost}"`,
          );

          // The certificate is the generated one, in the entity's namespace.
          expect(
            backend.certificateNames(
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
            a[A.tlsHosts] === undefined ? [] : backend.hostList(a[A.tlsHosts]);
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
