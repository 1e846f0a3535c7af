/**
 * The passkey routes (`PasskeyPath`, contract/passkeys.ts) through the element's own API client,
 * for the element's module and the headless client alike. The paths stay out of the core's
 * `ApiPath` (and its types out of `ApiClient`'s table): only code that imports this file carries them.
 */
import type { VerifyResponse } from '../../../contract/index.ts';
import {
  PasskeyPath,
  type PasskeyInfo,
  type PasskeyListResponse,
  type PasskeyOptionsResponse,
  type PasskeyRegisterBody,
  type PasskeySignInBody,
} from '../../../contract/passkeys.ts';
import type { ApiResult } from '../../api/api-client.ts';
import type { SessionKeeper } from '../../session/session-keeper.ts';

/** One call of a passkey route: `body` makes it a POST unless `method` says otherwise; the kept session's token goes with it. */
function call<T>(keeper: SessionKeeper, path: string, body?: object, method?: string): Promise<ApiResult<T>> {
  return keeper.api.call(path as never, body as never, keeper.stored?.token, method) as Promise<ApiResult<T>>;
}

const item = (id: string) => PasskeyPath.item.replace(':id', encodeURIComponent(id));

export const signInOptions = (keeper: SessionKeeper) => call<PasskeyOptionsResponse>(keeper, PasskeyPath.signInOptions, {});

/** Signs in and keeps the session, as a code does (SessionKeeper.verify). */
export const signIn = (keeper: SessionKeeper, body: PasskeySignInBody): Promise<ApiResult<VerifyResponse>> =>
  keeper.verify(body, 'passkey', PasskeyPath.signIn);

export const registerOptions = (keeper: SessionKeeper) => call<PasskeyOptionsResponse>(keeper, PasskeyPath.registerOptions, {});

export const register = (keeper: SessionKeeper, body: PasskeyRegisterBody) => call<PasskeyInfo>(keeper, PasskeyPath.register, body);

export const listPasskeys = (keeper: SessionKeeper) => call<PasskeyListResponse>(keeper, PasskeyPath.list);

export const renamePasskey = (keeper: SessionKeeper, id: string, name: string) => call<PasskeyInfo>(keeper, item(id), { name }, 'PATCH');

export const removePasskey = (keeper: SessionKeeper, id: string) => call<null>(keeper, item(id), undefined, 'DELETE');
