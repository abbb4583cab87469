import path from 'node:path';
import { ContractSchemas, validateModelledObject } from '@internal/plugin-scaffolder-backend-module-mesh-gateway';
import { buildAdrCluster } from './adrCluster';

/** `shared/contracts` sits beside the repository. */
const CONTRACTS_DIR = path.resolve(__dirname, '../../../../../shared/contracts');

describe('the sandbox cluster against the upstream CRD schemas', () => {
  const schemas = ContractSchemas.load(CONTRACTS_DIR, {
    crds: ['istio/crd-all.gen.yaml', 'cert-manager/cert-manager.io_certificates.yaml'],
    deck: 'deck/kong_json_schema.json',
  });
  const customResources = buildAdrCluster().filter(o => /istio\.io|cert-manager\.io/.test(o.apiVersion));

  it('serves Istio objects of every kind the backend reads', () => {
    expect(new Set(customResources.map(o => o.kind))).toEqual(
      new Set(['PeerAuthentication', 'AuthorizationPolicy', 'RequestAuthentication', 'VirtualService', 'DestinationRule', 'Telemetry', 'Sidecar', ...customResources.filter(o => o.kind === 'Certificate').map(() => 'Certificate')]),
    );
  });

  it.each(customResources.map(o => [`${o.kind} ${o.metadata.namespace}/${o.metadata.name}`, o] as const))(
    '%s validates against crd-all.gen.yaml (unknown fields rejected)',
    (_name, object) => {
      const check = schemas.customResource(object.apiVersion, object.kind);
      expect(check).toBeDefined();
      expect(check!(object)).toEqual([]);
    },
  );

  const cronJobs = buildAdrCluster().filter(o => o.kind === 'CronJob');
  it.each(cronJobs.map(o => [`CronJob ${o.metadata.namespace}/${o.metadata.name}`, o] as const))(
    '%s validates against the Kubernetes schema (kubernetes-models)',
    (_name, object) => {
      expect(validateModelledObject(object as unknown as Record<string, unknown>)).toEqual([]);
    },
  );

  it('would reject the documents\' circuitBreaker, so the check can fail', () => {
    const dr = customResources.find(o => o.kind === 'DestinationRule')!;
    const broken = { ...dr, spec: { ...dr.spec, trafficPolicy: { ...(dr.spec as any).trafficPolicy, circuitBreaker: { consecutiveErrors: 5 } } } };
    const violations = schemas.customResource(broken.apiVersion, broken.kind)!(broken);
    expect(violations.map(v => v.field).join(' ')).toContain('circuitBreaker');
  });
});
