import { renderInTestApp } from '@backstage/test-utils';
import { Theme, useTheme } from '@material-ui/core/styles';
import { screen, within } from '@testing-library/react';
import type { TracesSection } from '@internal/plugin-mesh-gateway-common';
import { SloTiles } from './SloTiles';
import { tracesData } from './testData';
import { declaredBackground, normalised } from '../../__testUtils__/chipColours';


async function renderTiles(slo: Partial<TracesSection['slo']>) {
  let theme: Theme | undefined;
  function CaptureTheme() {
    theme = useTheme();
    return null;
  }
  const data = tracesData();
  await renderInTestApp(
    <>
      <CaptureTheme />
      <SloTiles data={{ ...data, slo: { ...data.slo, ...slo } }} />
    </>,
  );
  /** The chip of a tile, by its text, with the colour it is drawn in. */
  const chip = (tile: string, text: string) => {
    const label = within(screen.getByRole('group', { name: tile })).getByText(
      text,
    );
    const root = label.closest<HTMLElement>('.MuiChip-root')!;
    return declaredBackground(root);
  };
  return {
    chip,
    green: normalised(theme!.palette.success.main),
    red: normalised(theme!.palette.error.main),
  };
}

describe('SloTiles', () => {
  it("judges by the baseline's targets when the entity sets none", async () => {
    const { chip, green, red } = await renderTiles({});
    // P95 131.4 ms, 139.8 ms at Kong; 2.2% errors; Kong's own P95 11.2 ms.
    expect(chip('Latency P95', 'Misses: < 100 ms end to end')).toEqual([red]);
    expect(chip('Error rate', 'Misses: ≤ 0.05% (99.95% available)')).toEqual([
      red,
    ]);
    expect(chip("Kong's own time P95", 'Target: < 50 ms')).toEqual([green]);
  });

  it("shows the entity's targets from the section, saying they come from an annotation", async () => {
    const { chip, green, red } = await renderTiles({
      endToEndP95Ms: { value: 250, source: 'annotation' },
      availability: { value: 0.97, source: 'annotation' },
      gatewayP95Ms: { value: 10, source: 'annotation' },
    });
    expect(
      chip('Latency P95', 'Target: < 250 ms end to end (from annotation)'),
    ).toEqual([green]);
    expect(
      chip('Error rate', 'Target: ≤ 3.0% (97% available) (from annotation)'),
    ).toEqual([green]);
    expect(
      chip("Kong's own time P95", 'Misses: < 10 ms (from annotation)'),
    ).toEqual([red]);
  });
});
