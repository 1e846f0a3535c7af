/**
 * What the element's own style sheet does not know (its parts, custom properties and colours
 * are reused). Chromium lays out an open <details> as its summary and one box of content, so the
 * sections' gap is their margin. "Your address is now …" takes the focus as the title does, so a
 * screen reader reads it; it is no control (tabindex -1), so it shows no ring either.
 */
import { styleAdopter } from '../adopt-styles.ts';

const styles = `[part~=account][open]{display:flex;flex-direction:column;gap:var(--_space)}
[part~=account-summary]{cursor:pointer;color:var(--_accent)}
[part~=account-heading]{font-size:1em;margin:0}
[part~=account-deletion]{margin-top:var(--_space)}
[part~=account-code],[part~=email-change],[part~=account-deletion]{display:flex;flex-direction:column;gap:var(--_space)}
[part~=account-done]:focus-visible{outline:none}`;

/** Adds the sheet to `element`'s shadow root the first time the part is drawn there. */
export const adoptStyles = styleAdopter(styles);
