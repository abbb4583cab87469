import { renderInTestApp } from '@backstage/test-utils';
import { Theme, useTheme } from '@material-ui/core/styles';
import { screen } from '@testing-library/react';
import { MtlsModeChip } from './MtlsModeChip';

/**
 * The background colour the element's own (non-MUI) classes declare. jsdom's computed style
 * ignores specificity and sheet order, so the declared rules are read instead.
 */
function declaredBackground(element: HTMLElement): string[] {
  const classes = [...element.classList].filter(c => !c.startsWith('Mui'));
  return [...document.styleSheets].flatMap(sheet =>
    [...sheet.cssRules].flatMap(rule => {
      const style = rule as CSSStyleRule;
      return classes.some(c => style.selectorText?.includes(`.${c}`)) &&
        style.style.backgroundColor
        ? [style.style.backgroundColor]
        : [];
    }),
  );
}

/** A CSS colour as the browser writes it back (`#4caf50` → `rgb(76, 175, 80)`). */
function normalised(color: string): string {
  const probe = document.createElement('div');
  probe.style.backgroundColor = color;
  return probe.style.backgroundColor;
}

describe('MtlsModeChip', () => {
  it('shows STRICT green, PERMISSIVE amber and DISABLE red, saying what each means', async () => {
    let theme: Theme | undefined;
    function CaptureTheme() {
      theme = useTheme();
      return null;
    }
    await renderInTestApp(
      <>
        <CaptureTheme />
        <MtlsModeChip mode="STRICT" />
        <MtlsModeChip mode="PERMISSIVE" label="8080/http" />
        <MtlsModeChip mode="DISABLE" title="port-level override" />
      </>,
    );

    const strict = screen.getByTitle('STRICT: only mutual TLS is accepted');
    const permissive = screen.getByTitle(
      'PERMISSIVE: plain text is accepted as well as mutual TLS',
    );
    const disable = screen.getByTitle('port-level override');
    expect(strict).toHaveTextContent(/^STRICT$/);
    expect(permissive).toHaveTextContent(/^8080\/http PERMISSIVE$/);
    expect(disable).toHaveTextContent(/^DISABLE$/);
    expect(declaredBackground(strict)).toEqual([
      normalised(theme!.palette.success.main),
    ]);
    expect(declaredBackground(permissive)).toEqual([
      normalised(theme!.palette.warning.main),
    ]);
    expect(declaredBackground(disable)).toEqual([
      normalised(theme!.palette.error.main),
    ]);
  });
});
