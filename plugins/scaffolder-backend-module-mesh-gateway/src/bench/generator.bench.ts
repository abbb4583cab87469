import { parseServiceSpec } from '@internal/plugin-mesh-gateway-common';
import { generateConfiguration } from '../generator';
import { validateConfiguration } from '../validation/validateConfiguration';
import { percentile, recordBench } from '../../../mesh-gateway-backend/src/bench/results';

/** `yarn bench`: generating one service's full configuration, and validating it. */
describe('benchmark: generator', () => {
  it('generates and validates one full service configuration', async () => {
    const parsed = parseServiceSpec({ name: 'orders', namespace: 'shop', owner: 'group:default/platform-team', auth: { issuer: 'https://auth.example.com' } });
    if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
    // Warm-up: schema compilation happens once per process.
    const warm = generateConfiguration(parsed.spec);
    await validateConfiguration(warm.files, { acceptedFindings: warm.acceptedFindings.map(a => a.code) });

    const generate: number[] = [];
    const validate: number[] = [];
    for (let i = 0; i < 50; i++) {
      let t = process.hrtime.bigint();
      const config = generateConfiguration(parsed.spec);
      generate.push(Number(process.hrtime.bigint() - t) / 1e6);
      t = process.hrtime.bigint();
      const report = await validateConfiguration(config.files, { acceptedFindings: config.acceptedFindings.map(a => a.code) });
      validate.push(Number(process.hrtime.bigint() - t) / 1e6);
      expect(report).toBeDefined();
    }
    recordBench([
      { benchmark: 'generator: one full service configuration, median', value: percentile(generate, 50), unit: 'ms', note: `${warm.files.length} files` },
      { benchmark: 'validation of that configuration, median', value: percentile(validate, 50), unit: 'ms', note: 'schemas compiled once per process' },
    ]);
  }, 300_000);
});
