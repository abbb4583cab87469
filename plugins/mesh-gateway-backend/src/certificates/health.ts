import type {
  CertificateHealth,
  CertificateThresholds,
} from '@internal/plugin-mesh-gateway-common';

export const DAY_MS = 24 * 60 * 60 * 1000;

function toMs(value: Date | string): number {
  return typeof value === 'string' ? Date.parse(value) : value.getTime();
}

/** Whole days from `now` until `notAfter`: 0 on the last day, negative once expired. */
export function daysLeft(notAfter: Date | string, now: number): number {
  return Math.floor((toMs(notAfter) - now) / DAY_MS);
}

export interface HealthInput {
  notAfter?: Date | string;
  notBefore?: Date | string;
  /** cert-manager's Ready condition, when the certificate comes from cert-manager. */
  ready?: 'True' | 'False' | 'Unknown';
  /** A client would reject the certificate (untrusted chain, wrong host). */
  rejected?: boolean;
}

export interface HealthVerdict {
  health: CertificateHealth;
  daysLeft?: number;
  reason: string;
}

/**
 * The health of one certificate: `expired` past notAfter; `critical` when at most
 * `criticalDays` are left, when cert-manager says Ready=False, when clients reject it, or before
 * notBefore; `warning` when at most `warningDays` are left; otherwise `ok`. Without notAfter
 * (cert-manager has not issued it yet) only the Ready condition counts.
 */
export function certificateHealth(
  input: HealthInput,
  thresholds: CertificateThresholds,
  now: number,
): HealthVerdict {
  if (input.notAfter === undefined) {
    if (input.ready === 'False') {
      return { health: 'critical', reason: 'not Ready and not issued yet' };
    }
    if (input.ready === 'True') {
      return { health: 'warning', reason: 'Ready, but no expiry is recorded' };
    }
    return { health: 'warning', reason: 'not issued yet' };
  }
  const left = daysLeft(input.notAfter, now);
  const end = toMs(input.notAfter);
  if (end <= now) {
    const since = Math.floor((now - end) / DAY_MS);
    return {
      health: 'expired',
      daysLeft: left,
      reason: since === 0 ? 'expired today' : `expired ${plural(since)} ago`,
    };
  }
  if (input.notBefore !== undefined && toMs(input.notBefore) > now) {
    return { health: 'critical', daysLeft: left, reason: 'not valid yet' };
  }
  if (input.ready === 'False') {
    return {
      health: 'critical',
      daysLeft: left,
      reason: 'cert-manager reports Ready=False',
    };
  }
  if (input.rejected) {
    return { health: 'critical', daysLeft: left, reason: 'clients reject it' };
  }
  if (left <= thresholds.criticalDays) {
    return {
      health: 'critical',
      daysLeft: left,
      reason: `expires ${within(left)} (critical at ${thresholds.criticalDays})`,
    };
  }
  if (left <= thresholds.warningDays) {
    return {
      health: 'warning',
      daysLeft: left,
      reason: `expires ${within(left)} (warning at ${thresholds.warningDays})`,
    };
  }
  return { health: 'ok', daysLeft: left, reason: `${plural(left)} left` };
}

function plural(days: number): string {
  return days === 1 ? '1 day' : `${days} days`;
}

function within(days: number): string {
  return days === 0 ? 'today' : `in ${plural(days)}`;
}

const URGENCY: Record<CertificateHealth, number> = {
  expired: 0,
  critical: 1,
  error: 2,
  warning: 3,
  ok: 4,
};

/** Orders by urgency: expired, critical, error, warning, ok; then fewest days left. */
export function compareUrgency(
  a: { health: CertificateHealth; daysLeft?: number },
  b: { health: CertificateHealth; daysLeft?: number },
): number {
  return (
    URGENCY[a.health] - URGENCY[b.health] ||
    (a.daysLeft ?? Number.MAX_SAFE_INTEGER) -
      (b.daysLeft ?? Number.MAX_SAFE_INTEGER)
  );
}

/** The more urgent of two healths. */
export function worstHealth(
  a: CertificateHealth,
  b: CertificateHealth,
): CertificateHealth {
  return URGENCY[a] <= URGENCY[b] ? a : b;
}
