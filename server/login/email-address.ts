/**
 * The email policy: one plain address, nothing an attacker can smuggle through.
 *
 * Accepted: `local@domain` where the local part is an ASCII dot-atom (RFC 5321 4.1.2, ≤ 64
 * characters) and the domain is ASCII or an IDN that converts to punycode (each label 1–63
 * characters, at least two labels, ≤ 253 characters). The whole address is ≤ 254 characters
 * (RFC 3696 errata 1690).
 * Refused: display names, comments, quoted local parts, lists, IP-literal domains, CR/LF,
 * control and zero-width characters — each of them a way to send mail somewhere else or to make
 * two different-looking keys for one mailbox.
 *
 * The identity key is the address lower-cased with its domain in punycode, so `Ana@Exämple.com`
 * and `ana@xn--exmple-cua.com` are the same user. Local parts are case-insensitive here as with
 * every large provider, although RFC 5321 allows otherwise.
 */
import { domainToASCII } from 'node:url';

const MAX_ADDRESS = 254;
const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
// C0/C1 controls, zero-width and bidi formatting characters, BOM.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/;

export interface EmailAddress {
  /** The address to send mail to: local part as typed, domain in punycode. */
  address: string;
  /** The identity key: the address lower-cased. */
  key: string;
}

/** Parses one address by the policy above; `null` when it is not acceptable. */
export function parseEmailAddress(input: string): EmailAddress | null {
  if (input.length > MAX_ADDRESS * 4 || INVISIBLE.test(input)) return null;
  const at = input.lastIndexOf('@');
  if (at <= 0 || at === input.length - 1) return null;
  const local = input.slice(0, at);
  const rawDomain = input.slice(at + 1);
  if (local.length > MAX_LOCAL || !DOT_ATOM.test(local)) return null;
  // Full stops that IDNA maps to "." (ideographic, fullwidth, halfwidth) would pass through
  // domainToASCII as dots; normalise first so the label checks see them.
  const domain = domainToASCII(rawDomain.normalize('NFC'));
  if (!domain || domain.length > MAX_DOMAIN) return null;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) return null;
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) return null;
  const address = `${local}@${domain}`;
  if (address.length > MAX_ADDRESS) return null;
  return { address, key: address.toLowerCase() };
}
