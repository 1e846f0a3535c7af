/**
 * A feature module's style sheet, added to an element's shadow root the first time the feature
 * draws there: an adopted sheet, so a strict CSP needs nothing, and an element that never shows
 * the feature keeps the one sheet of its own. One sheet per module, shared by every element on the
 * page. Each feature module is built on its own (widget/build), so this is bundled into each.
 */
export function styleAdopter(css: string): (element: HTMLElement) => void {
  let sheet: CSSStyleSheet | undefined;
  return (element) => {
    const root = element.shadowRoot;
    if (!root) return;
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
    }
    if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  };
}
