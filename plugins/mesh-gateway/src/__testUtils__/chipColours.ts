/**
 * The background colour a chip's own (non-MUI) classes declare. jsdom's computed style ignores
 * specificity and sheet order, so the declared rules are read instead.
 */
export function declaredBackground(element: HTMLElement): string[] {
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
export function normalised(color: string): string {
  const probe = document.createElement('div');
  probe.style.backgroundColor = color;
  return probe.style.backgroundColor;
}
