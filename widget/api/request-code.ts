/**
 * `POST /request` as the element and `PasswordlessClient` send it: with a fresh `clientHash`
 * (magic-link/request-secret.ts), handed to `remember` once the server has accepted the request,
 * and the magic link landing on this page unless `redirectTo` says otherwise.
 */
import { ApiPath, type RequestBody, type RequestResponse } from '../../contract/index.ts';
import { newSecret } from '../magic-link/request-secret.ts';
import type { ApiClient, ApiResult } from './api-client.ts';

export async function requestCode(
  api: ApiClient,
  body: Omit<RequestBody, 'clientHash'>,
  remember: (secret: string) => unknown,
): Promise<ApiResult<RequestResponse>> {
  const clientHash = newSecret();
  const result = await api.call(ApiPath.request, { ...body, redirectTo: body.redirectTo || location.href.split('#')[0], clientHash });
  if (result.ok) remember(clientHash);
  return result;
}
