import { parse } from 'yaml';
import { objectTitle, objectToYaml } from './objectYaml';

describe('objectToYaml', () => {
  it('writes apiVersion, kind, metadata and spec in that order, and reads back the same object', () => {
    const object = {
      spec: { host: 'user-service', subsets: [{ name: 'v1', labels: {} }] },
      metadata: { namespace: 'parallel-ai', name: 'user-service' },
      kind: 'DestinationRule',
      apiVersion: 'networking.istio.io/v1',
    };

    const text = objectToYaml(object);

    expect(text.split('\n').filter(line => /^\S/.test(line))).toEqual([
      'apiVersion: networking.istio.io/v1',
      'kind: DestinationRule',
      'metadata:',
      'spec:',
    ]);
    expect(parse(text)).toEqual(object);
  });

  it('neither folds long values nor writes anchors for repeated ones', () => {
    const labels = { app: 'user-service' };
    const status = JSON.stringify({
      containers: ['istio-proxy'],
      initContainers: ['istio-init'],
      volumes: ['workload-socket', 'credential-socket', 'istio-envoy'],
    });
    const text = objectToYaml({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'user-service',
        labels,
        annotations: { 'sidecar.istio.io/status': status },
      },
      spec: { selector: labels },
    });

    expect(text).not.toMatch(/[&*]a\d/);
    expect(text).toContain(`sidecar.istio.io/status: '${status}'`);
    expect(parse(text).spec.selector).toEqual(labels);
  });

  it('keeps strings that look like other types strings', () => {
    const text = objectToYaml({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'x',
        annotations: { 'istio.io/dry-run': 'true', port: '8080' },
      },
    });
    expect(parse(text).metadata.annotations).toEqual({
      'istio.io/dry-run': 'true',
      port: '8080',
    });
  });
});

describe('objectTitle', () => {
  it('names namespaced and cluster-scoped objects', () => {
    expect(
      objectTitle({
        apiVersion: 'security.istio.io/v1',
        kind: 'PeerAuthentication',
        metadata: { name: 'default', namespace: 'istio-system' },
      }),
    ).toBe('PeerAuthentication istio-system/default');
    expect(
      objectTitle({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'parallel-ai' },
      }),
    ).toBe('Namespace parallel-ai');
  });
});
