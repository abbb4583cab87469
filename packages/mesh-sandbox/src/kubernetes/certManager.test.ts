import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { httpGet } from '../testing/httpGet';
import {
  createTlsSandboxMaterial,
  TlsSandboxMaterial,
} from '../tls/tlsSandbox';
import { buildAdrCluster } from './adrCluster';
import { buildCertManagerObjects } from './certManager';
import { startKubernetesApiServer } from './kubernetesApiServer';
import type { KubeObject } from './types';

/*
 * Contract test: the sandbox's cert-manager Certificates validate against cert-manager's own CRD
 * (shared/contracts/cert-manager/cert-manager.io_certificates.yaml, v1.21.1). The CRD schema is
 * OpenAPI 3.0, validated with draft-04 semantics. The API server prunes fields a structural
 * schema does not declare, so an unknown field is an error here: every object schema without
 * `x-kubernetes-preserve-unknown-fields` gets `additionalProperties: false`. The CRD does not
 * describe `metadata`; names are checked against DNS-1123 separately.
 */

const CONTRACTS = path.resolve(__dirname, '../../../../../shared/contracts');
const crd = parse(
  readFileSync(
    path.join(CONTRACTS, 'cert-manager/cert-manager.io_certificates.yaml'),
    'utf8',
  ),
);

type Schema = Record<string, any>;

function closeObjects(schema: Schema): Schema {
  if (!schema || typeof schema !== 'object') return schema;
  const copy: Schema = Array.isArray(schema) ? [...schema] : { ...schema };
  if (copy.properties) {
    copy.properties = Object.fromEntries(
      Object.entries<Schema>(copy.properties).map(([k, v]) => [
        k,
        closeObjects(v),
      ]),
    );
    if (
      copy.additionalProperties === undefined &&
      !copy['x-kubernetes-preserve-unknown-fields']
    ) {
      copy.additionalProperties = false;
    }
  }
  if (copy.items) copy.items = closeObjects(copy.items);
  if (
    copy.additionalProperties &&
    typeof copy.additionalProperties === 'object'
  ) {
    copy.additionalProperties = closeObjects(copy.additionalProperties);
  }
  return copy;
}

const version = crd.spec.versions.find((v: Schema) => v.name === 'v1');
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('int', /^-?\d+$/); // an integer format cert-manager's schema names
const validateCertificate = ajv.compile(
  closeObjects(version.schema.openAPIV3Schema),
);
const DNS_1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

describe('cert-manager objects of the TLS sandbox', () => {
  let material: TlsSandboxMaterial;
  let objects: KubeObject[];
  const certificates = () => objects.filter(o => o.kind === 'Certificate');

  beforeAll(async () => {
    material = await createTlsSandboxMaterial();
    objects = buildCertManagerObjects(material);
  });

  it('validates every Certificate against the cert-manager v1 CRD, unknown fields rejected', () => {
    expect(crd.spec.group).toBe('cert-manager.io');
    expect(certificates()).toHaveLength(material.hosts.length);
    for (const certificate of certificates()) {
      expect(certificate.apiVersion).toBe('cert-manager.io/v1');
      expect(certificate.metadata.name).toMatch(DNS_1123_SUBDOMAIN);
      expect(certificate.metadata.name.length).toBeLessThanOrEqual(253);
      const valid = validateCertificate(certificate);
      expect(validateCertificate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    }
  });

  it('would catch a field the CRD does not have and a wrong status value', () => {
    const [first] = certificates();
    expect(
      validateCertificate({
        ...first,
        spec: { ...first.spec, renewBeforeDays: 30 },
      }),
    ).toBe(false);
    expect(validateCertificate.errors?.[0]).toMatchObject({
      keyword: 'additionalProperties',
      params: { additionalProperty: 'renewBeforeDays' },
    });
    const conditions = [{ type: 'Ready', status: 'Yes' }];
    expect(validateCertificate({ ...first, status: { conditions } })).toBe(
      false,
    );
    expect(
      validateCertificate({ ...first, status: { notAfter: 'next week' } }),
    ).toBe(false);
  });

  it('reports each scenario in status, with fields missing where cert-manager has not set them', () => {
    const byScenario = new Map(
      material.hosts.map(h => [
        h.scenario,
        certificates().find(c => c.metadata.name === h.certificate.name)!,
      ]),
    );
    const ready = (o: KubeObject) =>
      (o.status!.conditions as any[]).find(c => c.type === 'Ready');

    const valid = byScenario.get('valid')!;
    const servedValid = material.hosts.find(
      h => h.scenario === 'valid',
    )!.served;
    expect(ready(valid)).toMatchObject({ status: 'True', reason: 'Ready' });
    expect(Date.parse(valid.status!.notAfter as string)).toBe(
      servedValid.notAfter.getTime(),
    );

    // Renewed: cert-manager's certificate outlives the one served.
    const expiring = byScenario.get('expiring')!;
    const servedExpiring = material.hosts.find(
      h => h.scenario === 'expiring',
    )!.served;
    expect(Date.parse(expiring.status!.notAfter as string)).toBeGreaterThan(
      servedExpiring.notAfter.getTime(),
    );

    const expired = byScenario.get('expired')!;
    expect(ready(expired)).toMatchObject({
      status: 'False',
      reason: 'Expired',
    });
    expect(expired.status).toMatchObject({ failedIssuanceAttempts: 3 });
    expect(Date.parse(expired.status!.renewalTime as string)).toBeLessThan(
      Date.now(),
    );

    const notIssued = byScenario.get('wrong-host')!;
    expect(ready(notIssued)).toMatchObject({
      status: 'False',
      reason: 'DoesNotExist',
    });
    expect(notIssued.status).not.toHaveProperty('notAfter');
    expect(notIssued.status).not.toHaveProperty('notBefore');
    expect(notIssued.status).not.toHaveProperty('renewalTime');
  });

  it('holds the mesh root in istio-ca-root-cert, the root the edge certificates chain to', () => {
    const configMaps = objects.filter(o => o.kind === 'ConfigMap');
    expect(configMaps.map(c => c.metadata.namespace)).toContain('parallel-ai');
    const root = new X509Certificate(configMaps[0].data!['root-cert.pem']);
    const issuing = new X509Certificate(material.issuingCa.certPem);
    expect(issuing.checkIssued(root) && issuing.verify(root.publicKey)).toBe(
      true,
    );
  });

  it("keeps each issued Certificate's key pair in the kubernetes.io/tls Secret its spec.secretName names", () => {
    const secrets = objects.filter(o => o.kind === 'Secret');
    const decode = (secret: KubeObject, key: string) =>
      Buffer.from(secret.data![key], 'base64').toString('utf8');
    const issued = certificates().filter(c => c.status!.notAfter);
    expect(issued.length).toBe(material.hosts.length - 1);
    expect(
      secrets.map(s => `${s.metadata.namespace}/${s.metadata.name}`).sort(),
    ).toEqual(
      issued.map(c => `${c.metadata.namespace}/${c.spec!.secretName}`).sort(),
    );
    for (const certificate of issued) {
      const secret = secrets.find(
        s =>
          s.metadata.name === certificate.spec!.secretName &&
          s.metadata.namespace === certificate.metadata.namespace,
      )!;
      expect(secret.type).toBe('kubernetes.io/tls');
      expect(secret.metadata.annotations).toMatchObject({
        'cert-manager.io/certificate-name': certificate.metadata.name,
        'cert-manager.io/issuer-name': 'parallel-ai-edge-ca',
      });
      const leaf = new X509Certificate(decode(secret, 'tls.crt'));
      expect(
        leaf.checkPrivateKey(createPrivateKey(decode(secret, 'tls.key'))),
      ).toBe(true);
      expect(decode(secret, 'tls.key')).toContain('PRIVATE KEY');
      expect(decode(secret, 'ca.crt')).toBe(material.rootCa.certPem);
      // What the Secret holds is what cert-manager's status describes.
      expect(Date.parse(leaf.validTo)).toBe(
        Date.parse(certificate.status!.notAfter as string),
      );
    }
    // The renewed certificate is in the Secret, not on the endpoint.
    const expiring = material.hosts.find(h => h.scenario === 'expiring')!;
    const expiringSecret = secrets.find(
      s => s.metadata.name === expiring.certificate.name,
    )!;
    expect(decode(expiringSecret, 'tls.key')).toBe(expiring.renewed!.keyPem);
    expect(decode(expiringSecret, 'tls.key')).not.toBe(expiring.served.keyPem);
  });

  it('serves the Secrets as Kubernetes does: listed per namespace and cluster-wide, and one by name', async () => {
    const server = await startKubernetesApiServer({
      objects: buildAdrCluster(objects),
    });
    try {
      const list = await httpGet(
        server.url,
        '/api/v1/namespaces/parallel-ai/secrets',
      );
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ apiVersion: 'v1', kind: 'SecretList' });
      expect(list.body.items.map((i: KubeObject) => i.metadata.name)).toEqual([
        'agents-parallel-ai-tls',
        'analytics-parallel-ai-tls',
      ]);
      // Items of a typed core list carry no apiVersion/kind.
      expect(list.body.items[0]).not.toHaveProperty('kind');
      expect(list.body.items[0].type).toBe('kubernetes.io/tls');

      const all = await httpGet(server.url, '/api/v1/secrets');
      expect(
        all.body.items.map(
          (i: KubeObject) => `${i.metadata.namespace}/${i.metadata.name}`,
        ),
      ).toEqual([
        'kong/api-parallel-ai-tls',
        'parallel-ai/agents-parallel-ai-tls',
        'parallel-ai/analytics-parallel-ai-tls',
      ]);

      const one = await httpGet(
        server.url,
        '/api/v1/namespaces/kong/secrets/api-parallel-ai-tls',
      );
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/tls',
      });
      expect(Object.keys(one.body.data).sort()).toEqual([
        'ca.crt',
        'tls.crt',
        'tls.key',
      ]);
      const missing = await httpGet(
        server.url,
        '/api/v1/namespaces/parallel-ai/secrets/users-parallel-ai-tls',
      );
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({
        kind: 'Status',
        reason: 'NotFound',
      });
    } finally {
      await server.close();
    }
  });

  it('is served by the sandbox Kubernetes API, selectable by the entity label', async () => {
    const server = await startKubernetesApiServer({
      objects: buildAdrCluster(objects),
    });
    try {
      const list = await httpGet(
        server.url,
        `/apis/cert-manager.io/v1/namespaces/parallel-ai/certificates?labelSelector=${encodeURIComponent('backstage.io/kubernetes-id=ai-agent-service')}`,
      );
      expect(list.status).toBe(200);
      expect(list.body.items.map((i: KubeObject) => i.metadata.name)).toEqual([
        'agents-parallel-ai-tls',
      ]);
      expect(list.body.items[0].status.notAfter).toBeDefined();
      const configMap = await httpGet(
        server.url,
        '/api/v1/namespaces/parallel-ai/configmaps/istio-ca-root-cert',
      );
      expect(configMap.body.data['root-cert.pem']).toBe(
        material.rootCa.certPem,
      );
    } finally {
      await server.close();
    }
  });
});
