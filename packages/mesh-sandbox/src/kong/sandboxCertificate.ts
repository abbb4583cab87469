/**
 * A self-signed EC P-256 certificate for api.parallel-ai.example.com (valid 2026-11-23 to 2036-11-20)
 * and its private key. Made for the sandbox only: the key protects nothing, and exists so that tests
 * can prove the backend never passes a certificate's `key` on.
 */
export const SANDBOX_EDGE_CERTIFICATE = [
  '-----BEGIN CERTIFICATE-----',
  'MIIB+DCCAZ2gAwIBAgIUJEfo/7P9IYxuvSC3o1S+cN0MlTUwCgYIKoZIzj0EAwIw',
  'PTEkMCIGA1UEAwwbYXBpLnBhcmFsbGVsLWFpLmV4YW1wbGUuY29tMRUwEwYDVQQK',
  'DAxtZXNoLXNhbmRib3gwHhcNMjYxMTIzMDA1MjQyWhcNMzYxMTIwMDA1MjQyWjA9',
  'MSQwIgYDVQQDDBthcGkucGFyYWxsZWwtYWkuZXhhbXBsZS5jb20xFTATBgNVBAoM',
  'DG1lc2gtc2FuZGJveDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABP8OWchg6JWf',
  'DCQ0KLesm/e33tt2ann+axJWJPJKh0RrXcmG/vKt3QcE0G5/cXYlMUO8inyLJkUe',
  'b4fGiyRrbtGjezB5MB0GA1UdDgQWBBS4/Ow++k1Q2pH/cddec0p4Mx/tfDAfBgNV',
  'HSMEGDAWgBS4/Ow++k1Q2pH/cddec0p4Mx/tfDAPBgNVHRMBAf8EBTADAQH/MCYG',
  'A1UdEQQfMB2CG2FwaS5wYXJhbGxlbC1haS5leGFtcGxlLmNvbTAKBggqhkjOPQQD',
  'AgNJADBGAiEA91l0V1huC9nTB1of7DhThXULd6W9ENx1jt45lS9QDIACIQCYRtjA',
  'SOYFlGLnYwbkRmly2zD+D4PqDoPcyC952VS5QQ==',
  '-----END CERTIFICATE-----',
  '',
].join('\n');

export const SANDBOX_EDGE_PRIVATE_KEY = [
  '-----BEGIN PRIVATE KEY-----',
  'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg+BTE4zdKeP7e/Knj',
  '0H2teNgc40R3Md5vMPZ3VT2sNT6hRANCAAT/DlnIYOiVnwwkNCi3rJv3t97bdmp5',
  '/msSViTySodEa13Jhv7yrd0HBNBuf3F2JTFDvIp8iyZFHm+Hxoska27R',
  '-----END PRIVATE KEY-----',
  '',
].join('\n');
