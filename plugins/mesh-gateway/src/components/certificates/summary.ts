import type { CertificatesSection } from '@internal/plugin-mesh-gateway-common';
import { count } from '../format';

/** `today`, `in 1 day`, `in 12 days`. */
export function inDays(days: number): string {
  return days <= 0 ? 'today' : `in ${count(days, 'day')}`;
}

/**
 * The section in one line for an overview: "3 certificates, next expiry in 12 days",
 * "4 certificates, 1 expired, next expiry in 10 days".
 *
 * @public
 */
export function describeCertificates(data: CertificatesSection): string {
  const { total, expired, nextExpiry } = data.summary;
  if (total === 0) {
    return 'no certificates found';
  }
  const parts = [count(total, 'certificate')];
  if (expired > 0) parts.push(`${expired} expired`);
  if (nextExpiry) parts.push(`next expiry ${inDays(nextExpiry.daysLeft)}`);
  return parts.join(', ');
}
