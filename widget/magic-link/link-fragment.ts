/**
 * Reads the magic-link token from the address (`#pl_token=…&pl_client=…`) and removes it at once,
 * so it does not stay in the history, a bookmark or a screenshot. Other fragment content stays.
 */
import { LINK_CLIENT_PARAM, LINK_TOKEN_PARAM } from '../../contract/index.ts';

export interface LinkFragment {
  token: string;
  /** The `clientHash` the asking browser sent, echoed by the server; null if absent. */
  client: string | null;
}

export function takeLinkFragment(): LinkFragment | null {
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get(LINK_TOKEN_PARAM);
  if (!token) return null;
  const client = params.get(LINK_CLIENT_PARAM);
  params.delete(LINK_TOKEN_PARAM);
  params.delete(LINK_CLIENT_PARAM);
  const rest = params.toString();
  const url = location.href.split('#')[0] + (rest ? `#${rest}` : '');
  history.replaceState(history.state, '', url);
  return { token, client };
}

/** A token as the server takes it (20 to 128 base64url characters): anything else is no link of ours, and worth no call. */
export function wellFormed(token: string): boolean {
  return /^[\w-]{20,128}$/.test(token);
}
