/**
 * The ES module entry, for bundlers: `import 'passwordless-login'`. Languages other than English
 * are `import()`s the bundler turns into chunks of their own.
 */
import { setCatalogLoader } from './i18n/catalogs.ts';
import { PasswordlessLogin } from './passwordless-login.ts';

setCatalogLoader((locale) => import(`./i18n/locales/${locale}.ts`));

export { PasswordlessLogin };
export { PasswordlessClient } from './passwordless-client.ts';
export type { ApiResult, MagicLink, PasswordlessClientOptions, RequestCodeOptions, StoredSession } from './passwordless-client.ts';
export type { FlowError } from './flow.ts';
export type * from './events.ts';
export type { Messages } from './i18n/messages.ts';
export type { MessageOverrides } from './i18n/catalogs.ts';

if (!customElements.get('passwordless-login')) customElements.define('passwordless-login', PasswordlessLogin);

declare global {
  interface HTMLElementTagNameMap {
    'passwordless-login': PasswordlessLogin;
  }
}
