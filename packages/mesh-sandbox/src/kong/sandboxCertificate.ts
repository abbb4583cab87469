import { createSelfSignedCertificateSync } from '../tls/selfSignedSync';

const DAY_MS = 24 * 60 * 60 * 1000;

/*
 * Made when this module loads (once per process, or per test file under Jest), never committed:
 * the repository holds no key material. Synchronous, because `buildAdrKongDataset()` and
 * `ADR_KONG_SECRETS` are.
 */
const loadedAt = Date.now();
const edge = createSelfSignedCertificateSync({
  commonName: 'api.parallel-ai.example.com',
  organization: 'mesh-sandbox',
  dnsNames: ['api.parallel-ai.example.com'],
  notBefore: new Date(loadedAt - DAY_MS),
  notAfter: new Date(loadedAt + 3650 * DAY_MS),
});

/**
 * A self-signed EC P-256 certificate for api.parallel-ai.example.com (valid from a day before the
 * process started for ten years), made at run time. Made for the sandbox only: its key protects
 * nothing, and exists so that tests can prove the backend never passes a certificate's `key` on.
 */
export const SANDBOX_EDGE_CERTIFICATE: string = edge.certPem;

/** The PKCS#8 private key (PEM) of {@link SANDBOX_EDGE_CERTIFICATE}, made with it. */
export const SANDBOX_EDGE_PRIVATE_KEY: string = edge.keyPem;
