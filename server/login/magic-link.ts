import { LINK_CLIENT_PARAM, LINK_TOKEN_PARAM } from '../../contract/index.ts';

/**
 * `<landing page>#pl_token=…[&pl_client=…]`. The token rides in the fragment so it never reaches
 * a server log, a proxy or a Referer header; the landing page is an allow-listed URL or the
 * backend's own page, built from configuration, never from the request's Host header.
 */
export function buildMagicLink(landing: string, token: string, clientHash?: string): string {
  const url = new URL(landing);
  const fragment = new URLSearchParams({ [LINK_TOKEN_PARAM]: token });
  if (clientHash) fragment.set(LINK_CLIENT_PARAM, clientHash);
  url.hash = fragment.toString();
  return url.href;
}
