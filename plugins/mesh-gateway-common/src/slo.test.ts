import { sloTargets } from './slo';

describe('sloTargets', () => {
  it('takes the baseline unless an annotation says otherwise', () => {
    expect(sloTargets({})).toEqual({
      availability: { value: 0.9995, source: 'baseline' },
      endToEndP95Ms: { value: 100, source: 'baseline' },
      gatewayP95Ms: { value: 50, source: 'baseline' },
    });
    expect(
      sloTargets({
        'mesh-gateway.io/slo-availability': '99.9',
        'mesh-gateway.io/slo-p95-ms': '250',
        'mesh-gateway.io/slo-gateway-p95-ms': '12.5',
      }),
    ).toEqual({
      availability: { value: 0.999, source: 'annotation' },
      endToEndP95Ms: { value: 250, source: 'annotation' },
      gatewayP95Ms: { value: 12.5, source: 'annotation' },
    });
  });

  it.each([
    ['mesh-gateway.io/slo-availability', '100'],
    ['mesh-gateway.io/slo-availability', '0.999'],
    ['mesh-gateway.io/slo-availability', '99.9%'],
    ['mesh-gateway.io/slo-availability', '99.99999'],
    ['mesh-gateway.io/slo-p95-ms', '0'],
    ['mesh-gateway.io/slo-p95-ms', '1e3'],
    ['mesh-gateway.io/slo-gateway-p95-ms', '-5'],
    ['mesh-gateway.io/slo-gateway-p95-ms', 'fast'],
  ])('refuses %s: %j, naming the annotation', (annotation, value) => {
    expect(() => sloTargets({ [annotation]: value })).toThrow(
      new RegExp(`^${annotation}: "`),
    );
  });
});
