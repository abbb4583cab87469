export { EntityCertificateHealthCard } from './EntityCertificateHealthCard';
export { CertificatesSummaryLine } from './CertificatesSummaryLine';
export { describeCertificates } from './summary';
export { certificatesSectionSchema } from './certificatesSectionSchema';
