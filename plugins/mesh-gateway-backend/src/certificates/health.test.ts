import { certificateHealth, compareUrgency, DAY_MS } from './health';

const now = Date.parse('2026-11-23T12:00:00Z');
const thresholds = { warningDays: 30, criticalDays: 7 };
const inDays = (days: number) => new Date(now + days * DAY_MS).toISOString();

describe('certificateHealth', () => {
  it.each`
    case                                     | input                                             | health        | daysLeft     | reason
    ${'plenty left'}                         | ${{ notAfter: inDays(70.5) }}                     | ${'ok'}       | ${70}        | ${'70 days left'}
    ${'one day over the warning threshold'}  | ${{ notAfter: inDays(31.5) }}                     | ${'ok'}       | ${31}        | ${'31 days left'}
    ${'exactly warningDays left'}            | ${{ notAfter: inDays(30.5) }}                     | ${'warning'}  | ${30}        | ${'expires in 30 days (warning at 30)'}
    ${'between the thresholds'}              | ${{ notAfter: inDays(12.2) }}                     | ${'warning'}  | ${12}        | ${'expires in 12 days (warning at 30)'}
    ${'one day over the critical threshold'} | ${{ notAfter: inDays(8.5) }}                      | ${'warning'}  | ${8}         | ${'expires in 8 days (warning at 30)'}
    ${'exactly criticalDays left'}           | ${{ notAfter: inDays(7.5) }}                      | ${'critical'} | ${7}         | ${'expires in 7 days (critical at 7)'}
    ${'last day'}                            | ${{ notAfter: inDays(0.5) }}                      | ${'critical'} | ${0}         | ${'expires today (critical at 7)'}
    ${'expired an hour ago'}                 | ${{ notAfter: inDays(-1 / 24) }}                  | ${'expired'}  | ${-1}        | ${'expired today'}
    ${'expired 5 days ago'}                  | ${{ notAfter: inDays(-5.5) }}                     | ${'expired'}  | ${-6}        | ${'expired 5 days ago'}
    ${'expires exactly now'}                 | ${{ notAfter: inDays(0) }}                        | ${'expired'}  | ${0}         | ${'expired today'}
    ${'not valid yet'}                       | ${{ notAfter: inDays(90), notBefore: inDays(1) }} | ${'critical'} | ${90}        | ${'not valid yet'}
    ${'cert-manager Ready=False'}            | ${{ notAfter: inDays(60.5), ready: 'False' }}     | ${'critical'} | ${60}        | ${'cert-manager reports Ready=False'}
    ${'Ready=False and expired'}             | ${{ notAfter: inDays(-2.5), ready: 'False' }}     | ${'expired'}  | ${-3}        | ${'expired 2 days ago'}
    ${'rejected by clients'}                 | ${{ notAfter: inDays(60.5), rejected: true }}     | ${'critical'} | ${60}        | ${'clients reject it'}
    ${'not issued, Ready=False'}             | ${{ ready: 'False' }}                             | ${'critical'} | ${undefined} | ${'not Ready and not issued yet'}
    ${'not issued, no condition'}            | ${{}}                                             | ${'warning'}  | ${undefined} | ${'not issued yet'}
    ${'Ready without expiry'}                | ${{ ready: 'True' }}                              | ${'warning'}  | ${undefined} | ${'Ready, but no expiry is recorded'}
  `('$case: $health', ({ input, health, daysLeft, reason }) => {
    const verdict = certificateHealth(input, thresholds, now);
    expect(verdict).toEqual(
      daysLeft === undefined
        ? { health, reason }
        : { health, daysLeft, reason },
    );
  });

  it.each`
    warningDays | criticalDays | left    | health
    ${60}       | ${14}        | ${45.5} | ${'warning'}
    ${60}       | ${14}        | ${14.5} | ${'critical'}
    ${10}       | ${0}         | ${0.5}  | ${'critical'}
    ${10}       | ${0}         | ${1.5}  | ${'warning'}
  `(
    'uses the configured thresholds ($warningDays/$criticalDays, $left days left: $health)',
    ({ warningDays, criticalDays, left, health }) => {
      expect(
        certificateHealth(
          { notAfter: inDays(left) },
          { warningDays, criticalDays },
          now,
        ).health,
      ).toBe(health);
    },
  );
});

describe('compareUrgency', () => {
  it('sorts expired, critical, error, warning, ok, then fewest days left', () => {
    const rows = [
      { name: 'ok-90', health: 'ok' as const, daysLeft: 90 },
      { name: 'warning-20', health: 'warning' as const, daysLeft: 20 },
      { name: 'error', health: 'error' as const },
      { name: 'warning-12', health: 'warning' as const, daysLeft: 12 },
      { name: 'expired', health: 'expired' as const, daysLeft: -3 },
      { name: 'critical', health: 'critical' as const, daysLeft: 50 },
      { name: 'ok-40', health: 'ok' as const, daysLeft: 40 },
    ];
    expect([...rows].sort(compareUrgency).map(r => r.name)).toEqual([
      'expired',
      'critical',
      'error',
      'warning-12',
      'warning-20',
      'ok-40',
      'ok-90',
    ]);
  });
});
