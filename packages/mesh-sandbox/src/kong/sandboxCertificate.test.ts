import { createPrivateKey, X509Certificate } from 'node:crypto';
import {
  ADR_EDGE_HOST,
  ADR_KONG_SECRETS,
  buildAdrKongDataset,
} from './adrDataset';
import {
  SANDBOX_EDGE_CERTIFICATE,
  SANDBOX_EDGE_PRIVATE_KEY,
} from './sandboxCertificate';

describe('the ADR edge certificate', () => {
  it('is made at run time: valid now, for the edge host, with its own key', () => {
    const certificate = new X509Certificate(SANDBOX_EDGE_CERTIFICATE);
    expect(certificate.subjectAltName).toBe(`DNS:${ADR_EDGE_HOST}`);
    expect(Date.parse(certificate.validFrom)).toBeLessThan(Date.now());
    expect(Date.parse(certificate.validTo)).toBeGreaterThan(
      Date.now() + 3000 * 24 * 60 * 60 * 1000,
    );
    expect(
      certificate.checkPrivateKey(createPrivateKey(SANDBOX_EDGE_PRIVATE_KEY)),
    ).toBe(true);
  });

  it('is the one the ADR dataset and ADR_KONG_SECRETS hold, on every build', () => {
    expect(ADR_KONG_SECRETS.certificatePrivateKey).toBe(
      SANDBOX_EDGE_PRIVATE_KEY,
    );
    for (const dataset of [buildAdrKongDataset(), buildAdrKongDataset()]) {
      expect(dataset.certificates[0]).toMatchObject({
        cert: SANDBOX_EDGE_CERTIFICATE,
        key: SANDBOX_EDGE_PRIVATE_KEY,
      });
    }
  });
});
