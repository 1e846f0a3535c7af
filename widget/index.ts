/** The bundle's entry and the package's only side effect: defining the element (once). */
import { PasswordlessLogin } from './passwordless-login.ts';

export { PasswordlessLogin };
export type * from './events.ts';

if (!customElements.get('passwordless-login')) customElements.define('passwordless-login', PasswordlessLogin);

declare global {
  interface HTMLElementTagNameMap {
    'passwordless-login': PasswordlessLogin;
  }
}
