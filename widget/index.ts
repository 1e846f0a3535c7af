/**
 * The script-tag entry: one file, Lit and English inside. Other languages are fetched beside it,
 * from `passwordless-login/locales/<tag>.js` next to wherever this script was loaded from (the
 * same origin, so a CSP that lets the script in lets them in).
 */
import { setCatalogLoader } from './i18n/catalogs.ts';
import { PasswordlessLogin } from './passwordless-login.ts';

const scriptUrl = (document.currentScript as HTMLScriptElement | null)?.src || location.href;
setCatalogLoader((locale) => import(/* @vite-ignore */ new URL(`passwordless-login/locales/${locale}.js`, scriptUrl).href));

export { PasswordlessLogin };

if (!customElements.get('passwordless-login')) customElements.define('passwordless-login', PasswordlessLogin);
