/** Where the API and its documents live, and the magic link's fragment parameters. */
/** The default path under which the router is mounted. */
export const DEFAULT_BASE_PATH = '/auth';

/** Paths relative to the base path. */
export const ApiPath = {
  config: '/config',
  request: '/request',
  verify: '/verify',
  session: '/session',
  logout: '/logout',
  /** `POST`: exchanges the session for a short-lived access token (JWT) for the host's API. */
  token: '/token',
  /**
   * `GET`, no credentials: whether the calling page's origin may use the API. A plain GET answered
   * with `Access-Control-Allow-Origin: *`, so a page whose calls CORS refused can still ask why.
   */
  origin: '/origin',
  /** `POST {token}`: the address a magic link signs in, before it is used (the "Continue" page names it). */
  linkAddress: '/link-address',
} as const;

/**
 * What the backend serves under the base path for people and verifiers rather than the widget.
 * Kept out of `ApiPath`, whose object the widget bundle carries byte for byte.
 */
export const DocumentPath = {
  /** The magic link's default landing page. */
  link: '/link',
  /** `GET`: the stylesheet of the landing page and the mail preview (no inline style under the CSP). */
  pageStyles: '/pages.css',
  /** `GET`: the public keys that verify access tokens (also at `/.well-known/jwks.json`). */
  jwks: '/jwks.json',
} as const;

/** Where the key set is published at the root of the backend's origin: the conventional well-known location (RFC 8615). */
export const JWKS_WELL_KNOWN_PATH = '/.well-known/jwks.json';
export type ApiPath = (typeof ApiPath)[keyof typeof ApiPath];

/** The fragment parameter that carries the magic-link token: `<landing page>#pl_token=…`. */
export const LINK_TOKEN_PARAM = 'pl_token';
/**
 * The fragment parameter that echoes the `clientHash` the widget sent with its request, so the
 * widget on the landing page can tell it is the browser that asked (and complete at once).
 */
export const LINK_CLIENT_PARAM = 'pl_client';
