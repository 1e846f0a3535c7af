/** Reading and clicking inside an element's shadow root, for the feature modules' browser tests. */
import type { PasswordlessLogin } from '../element/passwordless-login.ts';

export const $ = (el: PasswordlessLogin, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);
export const $$ = (el: PasswordlessLogin, selector: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
/** The text at `selector` with its runs of white space made one space (Lit's templates add line breaks). */
export const text = (el: PasswordlessLogin, selector: string) => $(el, selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
export const click = (el: PasswordlessLogin, selector: string) => {
  const target = $(el, selector);
  if (!target) throw new Error(`nothing to click at ${selector}`);
  target.click();
};
