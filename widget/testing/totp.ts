/**
 * The code an authenticator app shows, computed in the test (RFC 6238 over RFC 4226: HMAC-SHA1 of
 * the 30-second step count, dynamic truncation, 6 digits) with the browser's Web Crypto, from the
 * base32 key the page shows. Its own code, not the server's library: a test that used the same
 * code as the server could not catch a server that got RFC 6238 wrong.
 */

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32, spaces (the page groups the key by 4) and padding ignored. */
export function base32Bytes(text: string): Uint8Array<ArrayBuffer> {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return new Uint8Array(bytes);
}

/** The 6-digit code of `secret` (base32) at `at` (ms since the epoch), with 30-second steps. */
export async function totpCode(secret: string, at: number): Promise<string> {
  const counter = Math.floor(at / 30_000);
  const message = new DataView(new ArrayBuffer(8));
  message.setUint32(0, Math.floor(counter / 2 ** 32));
  message.setUint32(4, counter >>> 0);
  const key = await crypto.subtle.importKey('raw', base32Bytes(secret), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, message.buffer));
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 1_000_000).padStart(6, '0');
}
