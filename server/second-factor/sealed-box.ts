/**
 * AES-256-GCM under a key derived from SECRET (HKDF-SHA256, one `purpose` per use), for what the
 * server must read back but nobody else may read or change: the TOTP secret at rest, the setup
 * token that carries a secret not yet confirmed, and the second step's ticket. GCM authenticates
 * as it encrypts, so a changed byte or a box sealed for another purpose opens to null, never to
 * something else. A 12-byte random IV per seal (NIST SP 800-38D 8.2.2: at 2^32 seals per key
 * the chance of a repeat stays below 2^-32; a site seals a few per sign-in).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export interface SealedBox {
  seal(plain: string): string;
  /** The text sealed by `seal` with the same SECRET and purpose, or null (changed, foreign, not a box). */
  open(sealed: string): string | null;
}

const VERSION = 'v1';

export function sealedBox(secret: string, purpose: string): SealedBox {
  const key = Buffer.from(hkdfSync('sha256', secret, 'passwordless-login/second-factor/v1', purpose, 32));
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    open(sealed) {
      const parts = sealed.split('.');
      if (parts.length !== 4 || parts[0] !== VERSION || !parts.every((part) => /^[A-Za-z0-9_-]*$/.test(part))) return null;
      const [, iv, body, tag] = parts as [string, string, string, string];
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        // A wrong tag (changed, or sealed under another key or purpose), a bad IV or tag length.
        return null;
      }
    },
  };
}
