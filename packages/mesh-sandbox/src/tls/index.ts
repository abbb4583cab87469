export {
  createCertificateAuthority,
  createServerCertificate,
} from './certificates';
export type {
  CertificateAuthorityOptions,
  GeneratedCertificate,
  GeneratedCertificateAuthority,
  ServerCertificateOptions,
} from './certificates';
export {
  createTlsSandboxMaterial,
  startTlsSandbox,
  TLS_SANDBOX_DEFAULTS,
  TLS_SANDBOX_HOSTS,
  TLS_SANDBOX_WRONG_HOST_NAME,
} from './tlsSandbox';
export type {
  TlsSandbox,
  TlsSandboxHost,
  TlsSandboxHostSpec,
  TlsSandboxMaterial,
  TlsSandboxOptions,
  TlsSandboxScenario,
} from './tlsSandbox';
export { addTlsSandboxToKong, withTlsSandboxCertificates } from './kong';
