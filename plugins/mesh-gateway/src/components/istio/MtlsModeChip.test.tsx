import { renderInTestApp } from '@backstage/test-utils';
import { Theme, useTheme } from '@material-ui/core/styles';
import { screen } from '@testing-library/react';
import { MtlsModeChip } from './MtlsModeChip';
import { declaredBackground, normalised } from '../../__testUtils__/chipColours';


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
