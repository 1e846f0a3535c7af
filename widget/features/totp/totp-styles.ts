/**
 * What the element's own style sheet does not know (its parts, custom properties and colours are
 * reused). The QR code keeps a white quiet zone in the dark theme too: scanners want dark modules
 * on a light ground. Chromium lays out an open <details> as its summary and one box of content, so
 * the flex gap of <details> would not reach its parts: they sit in one `totp-body` box whose gap does.
 * The key wraps in balanced lines (four groups and four, not seven and one alone at 384 px).
 */
import { styleAdopter } from '../adopt-styles.ts';

const styles = `[part~=totp-body]{display:flex;flex-direction:column;gap:var(--_space);margin-top:var(--_space)}
[part~=totp-summary]{cursor:pointer;color:var(--_accent)}
[part~=totp-heading]{font-size:1em;margin:0}
[part~=totp-heading]:focus-visible{outline:none}
[part~=totp-qr]{align-self:center;background:#fff;padding:8px;border-radius:var(--_radius)}
[part~=totp-qr] svg{display:block;width:11rem;height:11rem}
[part~=totp-secret],[part~=totp-codes] code{font-family:ui-monospace,monospace;font-size:1.05em;overflow-wrap:anywhere}
[part~=totp-secret]{display:block;unicode-bidi:isolate;direction:ltr;text-wrap:balance}
[part~=totp-codes]{margin:0;padding:0;list-style:none;display:grid;grid-template-columns:repeat(2,auto);gap:.25rem 1rem;direction:ltr}
a[part~=totp-download]{text-decoration:none;display:inline-flex;align-items:center;justify-content:center}`;

/** Adds the sheet to `element`'s shadow root the first time the part is drawn there. */
export const adoptStyles = styleAdopter(styles);
