/**
 * WebAuthn between its JSON form (what the server sends and takes: bytes as base64url) and the
 * browser's objects (bytes as ArrayBuffers). The browser's own helpers
 * (`PublicKeyCredential.parseCreationOptionsFromJSON`, `parseRequestOptionsFromJSON`,
 * `credential.toJSON()`) where it has them: Chromium 129+, Firefox 119+, Safari 18.4+. Older
 * browsers that have passkeys but not these helpers (Safari 16–18.3, for one) get the small
 * fallback below, which converts only the fields the two ceremonies carry as bytes.
 */
import type { PasskeyCredentialJSON } from '../../../contract/passkeys.ts';

type Json = Record<string, unknown>;
type Descriptor = { id: string } & Json;

/** base64url (no padding) to bytes. */
export function fromBase64url(text: string): ArrayBuffer {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0)).buffer;
}

/** Bytes to base64url (no padding). */
export function toBase64url(bytes: ArrayBuffer | ArrayBufferView): string {
  const view = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return btoa(String.fromCharCode(...view)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The browser's static helpers, which older browsers lack (and a test deletes). */
interface NativeJson {
  parseCreationOptionsFromJSON?(options: Json): PublicKeyCredentialCreationOptions;
  parseRequestOptionsFromJSON?(options: Json): PublicKeyCredentialRequestOptions;
}

const native = () => PublicKeyCredential as unknown as NativeJson;

const descriptors = (list: unknown) => (list as Descriptor[] | undefined)?.map((d) => ({ ...d, id: fromBase64url(d.id) }));

/** Options to create a passkey, from the server's `PasskeyOptionsResponse.options`. */
export function creationOptions(options: Json & { challenge: string }): PublicKeyCredentialCreationOptions {
  const parse = native().parseCreationOptionsFromJSON;
  if (parse) return parse(options);
  const user = options.user as Json & { id: string };
  return {
    ...options,
    challenge: fromBase64url(options.challenge),
    user: { ...user, id: fromBase64url(user.id) },
    excludeCredentials: descriptors(options.excludeCredentials),
  } as unknown as PublicKeyCredentialCreationOptions;
}

/** Options to sign in with a passkey, from the server's `PasskeyOptionsResponse.options`. */
export function requestOptions(options: Json & { challenge: string }): PublicKeyCredentialRequestOptions {
  const parse = native().parseRequestOptionsFromJSON;
  if (parse) return parse(options);
  return {
    ...options,
    challenge: fromBase64url(options.challenge),
    allowCredentials: descriptors(options.allowCredentials),
  } as unknown as PublicKeyCredentialRequestOptions;
}

/** What a new or used passkey answered, in the JSON form the server takes. */
export function credentialJSON(credential: PublicKeyCredential): PasskeyCredentialJSON {
  if (typeof credential.toJSON === 'function') return credential.toJSON() as unknown as PasskeyCredentialJSON;
  const response = credential.response as AuthenticatorResponse & Partial<AuthenticatorAttestationResponse & AuthenticatorAssertionResponse>;
  const bytes = (value: ArrayBuffer | null | undefined) => (value ? toBase64url(value) : undefined);
  const json: Json = { clientDataJSON: toBase64url(response.clientDataJSON) };
  if (response.attestationObject) {
    // A new passkey (AuthenticatorAttestationResponse).
    json.attestationObject = toBase64url(response.attestationObject);
    json.transports = response.getTransports?.() ?? [];
    json.authenticatorData = bytes(response.getAuthenticatorData?.());
    json.publicKey = bytes(response.getPublicKey?.());
    json.publicKeyAlgorithm = response.getPublicKeyAlgorithm?.();
  } else {
    // A sign-in (AuthenticatorAssertionResponse).
    json.authenticatorData = bytes(response.authenticatorData);
    json.signature = bytes(response.signature);
    json.userHandle = bytes(response.userHandle);
  }
  return {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: 'public-key',
    response: json,
    authenticatorAttachment: credential.authenticatorAttachment,
    clientExtensionResults: credential.getClientExtensionResults() as Json,
  };
}
