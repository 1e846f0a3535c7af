/** Defines `<passwordless-login>` unless the page already has (two copies of the script, or the script and an app's bundle). */
import { PasswordlessLogin } from './passwordless-login.ts';

export function define(): void {
  if (!customElements.get('passwordless-login')) customElements.define('passwordless-login', PasswordlessLogin);
}
