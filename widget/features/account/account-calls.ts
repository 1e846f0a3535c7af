/**
 * The account routes (`AccountPath`, contract/account.ts) through the element's own API client,
 * for the element's account module and the headless client alike. The paths stay out of the
 * core's `ApiPath`: only code that imports this file carries them.
 *
 * What a success changes here, it changes in the kept session too, so the element and the client
 * see it alike: a changed address is the kept user's at once. A deleted account's session is
 * forgotten by the caller (the server has ended it already, and cleared its cookie in cookie
 * mode), the element after it has said why (`passwordless-account-deleted` before
 * `passwordless-signed-out`).
 */
import {
  AccountPath,
  type AccountCodeSent,
  type AccountDeletedResponse,
  type EmailChangeConfirmBody,
  type EmailChangeResponse,
  type EmailChangeStartBody,
} from '../../../contract/account.ts';
import type { ApiResult } from '../../api/api-client.ts';
import { digitsOf } from '../../flow/code-digits.ts';
import type { SessionKeeper } from '../../session/session-keeper.ts';

/** One POST of an account route, with the kept session's token (none in cookie mode: the cookie goes instead). */
function call<T>(keeper: SessionKeeper, path: string, body: object): Promise<ApiResult<T>> {
  return keeper.api.call(path as never, body as never, keeper.stored?.token) as Promise<ApiResult<T>>;
}

/** A code to the new address; `202` says its length and when another may be asked for. */
export const changeEmail = (keeper: SessionKeeper, body: EmailChangeStartBody) =>
  call<AccountCodeSent>(keeper, AccountPath.emailChangeStart, { ...body, email: body.email.trim() });

/**
 * The new address (as given to the start) and its code: the address is changed, and the kept
 * session's user is the new one. The server keeps no pointer to the change in flight: the code is
 * looked up at the address named here.
 */
export async function confirmEmailChange(keeper: SessionKeeper, email: string, code: string): Promise<ApiResult<EmailChangeResponse>> {
  const body: EmailChangeConfirmBody = { email, code: digitsOf(code) };
  const result = await call<EmailChangeResponse>(keeper, AccountPath.emailChangeConfirm, body);
  const stored = keeper.stored;
  if (result.ok && stored) keeper.keep({ ...stored, user: result.data.user });
  return result;
}

/** A code to the current address, to confirm the deletion with. */
export const deleteAccount = (keeper: SessionKeeper) => call<AccountCodeSent>(keeper, AccountPath.deletionStart, {});

/** The current address's code: the account is erased and its sessions ended (the caller forgets the kept one). */
export const confirmAccountDeletion = (keeper: SessionKeeper, code: string) =>
  call<AccountDeletedResponse>(keeper, AccountPath.deletionConfirm, { code: digitsOf(code) });
