/**
 * Checks a DKIM signature (RFC 6376) the way a receiving server would, minus the DNS lookup: the
 * test hands over the public key it generated. Written here rather than taken from a library so
 * the test depends on nothing that shares code with the signer (nodemailer). Covers what the
 * signer uses: rsa-sha256 and relaxed/relaxed canonicalization.
 */
import { createHash, verify, type KeyObject } from 'node:crypto';

export interface DkimCheck {
  /** The signature's `d=` and `s=`. */
  domain: string;
  selector: string;
  /** `bh=` equals the hash of the body as received. */
  bodyHashMatches: boolean;
  /** `b=` verifies over the signed headers with the key. */
  signatureVerifies: boolean;
}

interface HeaderField {
  name: string;
  /** Everything after the first colon, folding included. */
  value: string;
}

/** Relaxed header canonicalization (RFC 6376 3.4.2): lower-case name, unfolded, runs of WSP as one space. */
function relaxedHeader({ name, value }: HeaderField): string {
  return `${name.toLowerCase().trim()}:${value.replace(/\r\n/g, '').replace(/[ \t]+/g, ' ').trim()}`;
}

/** Relaxed body canonicalization (RFC 6376 3.4.4): WSP runs as one space, none at line ends, no trailing empty lines. */
function relaxedBody(body: string): string {
  const lines = body.split('\r\n').map((line) => line.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines.length === 0 ? '' : `${lines.join('\r\n')}\r\n`;
}

function parseHeaders(block: string): HeaderField[] {
  const fields: HeaderField[] = [];
  for (const line of block.split('\r\n')) {
    if (/^[ \t]/.test(line) && fields.length > 0) fields.at(-1)!.value += `\r\n${line}`;
    else fields.push({ name: line.slice(0, line.indexOf(':')), value: line.slice(line.indexOf(':') + 1) });
  }
  return fields;
}

function tags(value: string): Map<string, string> {
  return new Map(
    value
      .split(';')
      .map((tag) => tag.split('='))
      .filter((pair) => pair.length >= 2)
      .map(([name, ...rest]) => [name!.trim(), rest.join('=').replace(/\s+/g, '')]),
  );
}

export function checkDkim(raw: Buffer, publicKey: KeyObject): DkimCheck {
  const text = raw.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  const fields = parseHeaders(text.slice(0, split));
  const body = text.slice(split + 4);
  const signature = fields.find((field) => field.name.toLowerCase() === 'dkim-signature');
  if (!signature) throw new Error('no DKIM-Signature header');
  const t = tags(signature.value);
  if (t.get('a') !== 'rsa-sha256' || t.get('c') !== 'relaxed/relaxed') throw new Error(`unsupported a=${t.get('a')} c=${t.get('c')}`);

  const bodyHash = createHash('sha256').update(relaxedBody(body), 'latin1').digest('base64');
  // Each name in h= takes the last instance not yet taken, bottom up (RFC 6376 5.4.2).
  const unused = fields.filter((field) => field !== signature);
  const signed = t
    .get('h')!
    .split(':')
    .flatMap((name) => {
      const index = unused.findLastIndex((field) => field.name.toLowerCase() === name.toLowerCase());
      return index < 0 ? [] : unused.splice(index, 1);
    });
  const withoutB = { name: signature.name, value: signature.value.replace(/(^|;)(\s*b\s*=)[^;]*/, '$1$2') };
  const data = [...signed.map((field) => `${relaxedHeader(field)}\r\n`), relaxedHeader(withoutB)].join('');
  return {
    domain: t.get('d')!,
    selector: t.get('s')!,
    bodyHashMatches: bodyHash === t.get('bh'),
    signatureVerifies: verify('sha256', Buffer.from(data, 'latin1'), publicKey, Buffer.from(t.get('b')!, 'base64')),
  };
}
