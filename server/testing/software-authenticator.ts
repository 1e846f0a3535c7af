/**
 * A WebAuthn authenticator in software, for tests that speak to the real server over HTTP: ES256
 * keys from `node:crypto`, attestation `none`, and the real bytes a browser sends
 * (authenticatorData, clientDataJSON, the CBOR attestation object, a DER signature), so the
 * server's library checks them as it would a phone's. Each answer can be bent (another origin,
 * RP ID, challenge, counter, user handle; no user verification) to play an attacker.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { PasskeyCredentialJSON } from '../../contract/passkeys.ts';

/** The few CBOR types an attestation object and a COSE key need (RFC 8949): integers, bytes, text, maps. */
type Cbor = number | Uint8Array | string | Map<number | string, Cbor>;

function cborHead(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
  if (length < 0x10000) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
  const head = Buffer.alloc(5);
  head[0] = (major << 5) | 26;
  head.writeUInt32BE(length, 1);
  return head;
}

export function encodeCbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([cborHead(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([cborHead(2, value.length), value]);
  return Buffer.concat([cborHead(5, value.size), ...[...value].flatMap(([key, item]) => [encodeCbor(key), encodeCbor(item)])]);
}

const FLAG_USER_PRESENT = 0x01;
const FLAG_USER_VERIFIED = 0x04;
const FLAG_BACKUP_ELIGIBLE = 0x08;
const FLAG_BACKED_UP = 0x10;
const FLAG_ATTESTED_CREDENTIAL = 0x40;

/** How one answer departs from an honest one. */
export interface Bend {
  origin?: string;
  rpId?: string;
  challenge?: string;
  /** The signature counter to report (default: one more than the last). */
  counter?: number;
  /** The user handle to report (sign-in), base64url. */
  userHandle?: string;
  /** Report no user verification (a touch, no PIN or biometric). */
  unverified?: boolean;
  /** `webauthn.create` for a sign-in, or the reverse. */
  type?: string;
  /** Corrupt the signature. */
  badSignature?: boolean;
}

interface StoredCredential {
  id: string;
  privateKey: KeyObject;
  cose: Buffer;
  rpId: string;
  userHandle: string;
  counter: number;
}

export interface SoftwareAuthenticatorOptions {
  /** The origin of the page it is used on (what the browser writes into clientDataJSON). */
  origin: string;
  /** Synced passkeys keep no counter (always 0); hardware keys count up. Default: counts up. */
  counter?: 'counting' | 'none';
  /** Reports the backup flags of a synced passkey. Default true. */
  synced?: boolean;
}

export class SoftwareAuthenticator {
  readonly #credentials = new Map<string, StoredCredential>();
  readonly #options: SoftwareAuthenticatorOptions;

  constructor(options: SoftwareAuthenticatorOptions) {
    this.#options = options;
  }

  /** Every credential made so far, newest last. */
  get credentialIds(): string[] {
    return [...this.#credentials.keys()];
  }

  /** The stored counter of a credential (what the next honest answer goes beyond). */
  counterOf(id: string): number {
    return this.#credential(id).counter;
  }

  /** `navigator.credentials.create()`: a new ES256 credential for `options` (the server's registration options). */
  create(options: Record<string, any>, bend: Bend = {}): PasskeyCredentialJSON {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = encodeCbor(new Map<number, Cbor>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')]]));
    const rawId = createHash('sha256').update(cose).digest().subarray(0, 16);
    const id = rawId.toString('base64url');
    const rpId = bend.rpId ?? options.rp?.id;
    this.#credentials.set(id, { id, privateKey, cose, rpId, userHandle: options.user.id, counter: 0 });
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(rawId.length);
    // An all-zero AAGUID, as a browser reports for attestation `none`.
    const attested = Buffer.concat([Buffer.alloc(16), idLength, rawId, cose]);
    const authData = this.#authenticatorData(rpId, bend, FLAG_ATTESTED_CREDENTIAL, 0, attested);
    const clientDataJSON = this.#clientData(bend.type ?? 'webauthn.create', bend.challenge ?? options.challenge, bend);
    const attestationObject = encodeCbor(new Map<string, Cbor>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: { clientDataJSON: clientDataJSON.toString('base64url'), attestationObject: attestationObject.toString('base64url'), transports: ['internal'] },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    };
  }

  /** `navigator.credentials.get()` with credential `id` (a discoverable one: the user handle goes back). */
  get(options: Record<string, any>, id: string = this.credentialIds[0]!, bend: Bend = {}): PasskeyCredentialJSON {
    const credential = this.#credential(id);
    const counter = bend.counter ?? (this.#options.counter === 'none' ? 0 : credential.counter + 1);
    if (bend.counter === undefined) credential.counter = counter;
    const authData = this.#authenticatorData(bend.rpId ?? credential.rpId, bend, 0, counter);
    const clientDataJSON = this.#clientData(bend.type ?? 'webauthn.get', bend.challenge ?? options.challenge, bend);
    const signed = Buffer.concat([authData, createHash('sha256').update(clientDataJSON).digest()]);
    const signature = sign('sha256', signed, credential.privateKey);
    if (bend.badSignature) signature[signature.length - 1]! ^= 0x01;
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        signature: signature.toString('base64url'),
        userHandle: bend.userHandle ?? credential.userHandle,
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    };
  }

  #credential(id: string): StoredCredential {
    const credential = this.#credentials.get(id);
    if (!credential) throw new Error(`no credential ${id} in this authenticator`);
    return credential;
  }

  #authenticatorData(rpId: string, bend: Bend, extraFlags: number, counter: number, attested: Buffer = Buffer.alloc(0)): Buffer {
    const synced = this.#options.synced ?? true;
    const flags = FLAG_USER_PRESENT | (bend.unverified ? 0 : FLAG_USER_VERIFIED) | (synced ? FLAG_BACKUP_ELIGIBLE | FLAG_BACKED_UP : 0) | extraFlags;
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([createHash('sha256').update(rpId).digest(), Buffer.from([flags]), count, attested]);
  }

  #clientData(type: string, challenge: string, bend: Bend): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin: bend.origin ?? this.#options.origin, crossOrigin: false }));
  }
}
