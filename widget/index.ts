/**
 * The script-tag entry: one file, Lit and English inside. What the first visit does not need is
 * fetched beside it, from `passwordless-login/<folder>/<name>.js` next to wherever this script was
 * loaded from: the other languages (`locales/`), the feature modules (`features/`). The same
 * origin as the script, so a Content-Security-Policy that lets the script in lets them in.
 */
import { scriptSrc } from './api/api-client.ts';
import { define } from './element/define.ts';
import { PasswordlessLogin } from './element/passwordless-login.ts';
import { setModuleLoader } from './on-demand/on-demand.ts';

setModuleLoader((folder, name) => import(/* @vite-ignore */ new URL(`passwordless-login/${folder}/${name}.js`, scriptSrc || location.href).href));

export { PasswordlessLogin };

define();
