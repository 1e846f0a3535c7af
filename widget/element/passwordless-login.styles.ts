import { unsafeCSS } from 'lit';

// Served through Lit's adoptedStyleSheets: the host page needs no inline <style> and no
// `style-src 'unsafe-inline'`. Every color has a light and a dark value (light-dark()), resolved by
// the color-scheme of the base part: its class pins one (`light`, `dark`), or takes the system's
// (`auto`: the page declares none), or it has none and inherits the page's. Only logical
// properties (inline/block), so a right-to-left language turns the box around.
//
// `unsafeCSS` on a constant is what `css` does, without `css`'s checks for interpolated values
// (there are none here): 160 bytes gzip less in the script-tag file. Nothing from outside goes in.
//
// Contrast (WCAG 2.2 AA, checked by a test in both themes): text, muted text, the error and the
// primary button's text are at least 6.3:1; field borders and the focus ring at least 3.3:1.
//
// The title takes the focus when the step changes, so a screen reader reads the new step; it is
// no control (tabindex -1, out of the tab order), so it shows no ring.
export const styles = unsafeCSS(`
  :host {
    --_bg: var(--pl-color-background, light-dark(#fff, #1c1c21));
    --_fg: var(--pl-color-text, light-dark(#1b1b1f, #ececf1));
    --_muted: var(--pl-color-muted, light-dark(#5b5b66, #a8a8b3));
    --_border: var(--pl-color-border, light-dark(#8a8a96, #6e6e7a));
    --_accent: var(--pl-color-accent, light-dark(#3a4fd8, #8c9bff));
    --_on-accent: var(--pl-color-on-accent, light-dark(#fff, #101018));
    --_error: var(--pl-color-error, light-dark(#b3261e, #ffb4ab));
    --_focus: var(--pl-color-focus, var(--_accent));
    --_radius: var(--pl-radius, 0.5rem);
    --_space: var(--pl-spacing, 0.75rem);

    display: block;
    max-inline-size: var(--pl-max-width, 24rem);
    font-family: var(--pl-font-family, system-ui, sans-serif);
    font-size: var(--pl-font-size, 1rem);
    line-height: 1.4;
  }
  .light {
    color-scheme: light;
  }
  .dark {
    color-scheme: dark;
  }
  .auto {
    color-scheme: light dark;
  }
  :host([hidden]) {
    display: none;
  }
  [part~='base'] {
    display: flex;
    flex-direction: column;
    gap: var(--_space);
    padding: calc(var(--_space) * 1.5);
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  [part~='title'] {
    margin: 0;
    font-size: 1.25em;
  }
  [part~='form'] {
    display: flex;
    flex-direction: column;
    gap: calc(var(--_space) * 0.5);
  }
  [part~='text'] {
    margin: 0;
    color: var(--_muted);
    overflow-wrap: anywhere;
  }
  [part~='label'] {
    font-weight: 600;
  }
  [part~='input'] {
    font: inherit;
    color: inherit;
    background: transparent;
    padding-block: calc(var(--_space) * 0.6);
    padding-inline: calc(var(--_space) * 0.8);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  [part~='code-input'] {
    font-variant-numeric: tabular-nums;
    letter-spacing: 0.2em;
  }
  [part~='actions'] {
    display: flex;
    flex-direction: column;
    gap: calc(var(--_space) * 0.5);
  }
  [part~='button'] {
    font: inherit;
    cursor: pointer;
    padding-block: calc(var(--_space) * 0.6);
    padding-inline: var(--_space);
    border-radius: var(--_radius);
    border: 1px solid var(--_accent);
    background: transparent;
    color: var(--_accent);
  }
  [part~='primary'] {
    background: var(--_accent);
    color: var(--_on-accent);
  }
  [part~='button']:disabled,
  [part~='input']:disabled {
    cursor: default;
    opacity: 0.6;
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  [part~='title']:focus-visible {
    outline: none;
  }
  [part~='error'] {
    margin: 0;
    color: var(--_error);
  }
  .address span {
    white-space: nowrap;
  }
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`);
