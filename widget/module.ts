/**
 * The ES module entry, for bundlers: `import 'passwordless-login'`. Languages other than English
 * and the feature modules are `import()`s the bundler turns into chunks of their own.
 */
import { define } from './element/define.ts';
import { PasswordlessLogin } from './element/passwordless-login.ts';
import { setModuleLoader } from './on-demand/on-demand.ts';

setModuleLoader((folder, name) => (folder === 'locales' ? import(`./i18n/locales/${name}.ts`) : import(`./features/${name}/index.ts`)));

export { PasswordlessLogin };
export { PasswordlessClient, isChallenge } from './client/passwordless-client.ts';
export type {
  ApiResult,
  MagicLink,
  PasskeyResult,
  PasskeySignInOptions,
  ApprovalOutcome,
  PasswordlessClientOptions,
  PromptErrorCode,
  RequestCodeOptions,
  SecondFactorProof,
  StoredSession,
} from './client/passwordless-client.ts';
export type { PasskeyInfo } from '../contract/passkeys.ts';
export type { FirstFactorResponse, SecondFactorChallenge, TotpRecoveryCodes, TotpSetup, TotpStatus } from '../contract/second-factor.ts';
export type { FlowError } from './flow/flow.ts';
export type * from './element/events.ts';
export type { Messages } from './i18n/messages.ts';
export type { MessageOverrides } from './i18n/catalogs.ts';

define();

declare global {
  interface HTMLElementTagNameMap {
    'passwordless-login': PasswordlessLogin;
  }
}
