import { css } from 'lit';

// Served through Lit's adoptedStyleSheets: the host page needs no inline <style> and no
// `style-src 'unsafe-inline'`. Every color has a light and a dark value (light-dark()); the
// `theme` attribute pins one through color-scheme, `auto` follows the system.
export const styles = css`
  :host {
    --_bg: var(--pl-color-background, light-dark(#ffffff, #1c1c21));
    --_fg: var(--pl-color-text, light-dark(#1b1b1f, #ececf1));
    --_muted: var(--pl-color-muted, light-dark(#5b5b66, #a8a8b3));
    --_border: var(--pl-color-border, light-dark(#c9c9d1, #4a4a55));
    --_accent: var(--pl-color-accent, light-dark(#3a4fd8, #8c9bff));
    --_on-accent: var(--pl-color-on-accent, light-dark(#ffffff, #101018));
    --_error: var(--pl-color-error, light-dark(#b3261e, #ffb4ab));
    --_focus: var(--pl-color-focus, var(--_accent));
    --_radius: var(--pl-radius, 0.5rem);
    --_space: var(--pl-spacing, 0.75rem);

    display: block;
    color-scheme: light dark;
    max-inline-size: var(--pl-max-width, 24rem);
    font-family: var(--pl-font-family, system-ui, sans-serif);
    font-size: var(--pl-font-size, 1rem);
    line-height: 1.4;
    color: var(--_fg);
  }
  :host([theme='light']) {
    color-scheme: light;
  }
  :host([theme='dark']) {
    color-scheme: dark;
  }
  :host([hidden]) {
    display: none;
  }
  [part~='base'] {
    display: flex;
    flex-direction: column;
    gap: var(--_space);
    padding: calc(var(--_space) * 1.5);
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
  [part~='text'],
  [part~='user'] {
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
    flex-wrap: wrap;
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
  [part~='button']:disabled {
    cursor: default;
    opacity: 0.6;
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  [part~='error'] {
    margin: 0;
    color: var(--_error);
  }
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
