/**
 * What receivers look up before they trust a login mail from the sender's domain: SPF (TXT at
 * the domain, `v=spf1`), DMARC (TXT at `_dmarc.<domain>`, `v=DMARC1`) and, with a DKIM selector,
 * the key at `<selector>._domainkey.<DKIM domain>`, compared with the private key that signs.
 *
 * No answer is not "missing": a lookup that fails (no network, a DNS server down), or a domain
 * that does not resolve at all, reads "could not look up". A name is missing only when the
 * domain itself answered, which proves the lookups reach DNS.
 */
import { createPublicKey } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { fail, ok, warn, type CheckLine } from './report.ts';

/** The one DNS call the checks make; node's by default, a stub in tests. */
export type ResolveTxt = (name: string) => Promise<string[][]>;

/** 3 s per try, 2 tries: a DNS server that works answers in milliseconds; the doctor should not hang without one. */
export function systemResolveTxt(): ResolveTxt {
  const resolver = new Resolver({ timeout: 3000, tries: 2 });
  return (name) => resolver.resolveTxt(name);
}

/** `exists`: false when DNS said the name does not exist (ENOTFOUND); ENODATA is a name without TXT. */
type Lookup = { records: string[]; exists: boolean } | { error: string };

async function lookUp(resolveTxt: ResolveTxt, name: string): Promise<Lookup> {
  try {
    // A TXT record may come in several strings of up to 255 bytes: they are one value.
    return { records: (await resolveTxt(name)).map((chunks) => chunks.join('')), exists: true };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENODATA' || code === 'ENOTFOUND') return { records: [], exists: code === 'ENODATA' };
    return { error: code };
  }
}

export interface MailDnsOptions {
  /** The sender's domain: MAIL_FROM's. */
  domain: string;
  /** The DKIM signing settings, if mail is signed. */
  dkim: { domainName: string; keySelector: string; privateKey: string } | null;
  resolveTxt?: ResolveTxt;
}

export async function checkMailDns({ domain, dkim, resolveTxt = systemResolveTxt() }: MailDnsOptions): Promise<CheckLine[]> {
  const unreachable = (what: string, why: string) => warn(`${what}: could not look up (no network?): ${why}; run the doctor where the server runs`);
  // The domain's own TXT lookup is the SPF lookup, and proves DNS answers for it.
  const atDomain = await lookUp(resolveTxt, domain);
  if (!('records' in atDomain) || !atDomain.exists) {
    const why = 'error' in atDomain ? `DNS answered ${atDomain.error}` : `${domain} does not resolve here (a typo in MAIL_FROM's domain, or no DNS)`;
    return [unreachable(`SPF for ${domain}`, why), unreachable(`DMARC for ${domain}`, why), dkim ? unreachable(`DKIM ${dkim.keySelector}._domainkey.${dkim.domainName}`, why) : noSelector(domain)];
  }
  const spf = atDomain.records.filter((record) => /^v=spf1(\s|$)/i.test(record));
  const lines: CheckLine[] = [];
  if (spf.length === 0) lines.push(fail(`SPF for ${domain}: no record: publish TXT "v=spf1 include:<your mail provider's SPF domain> -all" at ${domain} (or ip4:<your SMTP server's address>)`));
  else if (spf.length > 1) lines.push(fail(`SPF for ${domain}: ${spf.length} records, which receivers treat as an error (RFC 7208 §3.2): merge them into one`));
  else lines.push(ok(`SPF for ${domain}: ${spf[0]}`));

  const dmarc = await lookUp(resolveTxt, `_dmarc.${domain}`);
  if ('error' in dmarc) lines.push(unreachable(`DMARC for ${domain}`, dmarc.error));
  else {
    const record = dmarc.records.find((r) => /^v=DMARC1(;|\s|$)/i.test(r));
    // A warning, not a failure: Gmail and Yahoo require DMARC of senders of more than 5,000 mails a day.
    lines.push(record ? ok(`DMARC for ${domain}: ${record}`) : warn(`DMARC for ${domain}: no record: publish TXT "v=DMARC1; p=none; rua=mailto:dmarc@${domain}" at _dmarc.${domain}, then tighten p= to quarantine`));
  }
  lines.push(dkim ? await checkDkim(resolveTxt, dkim, unreachable) : noSelector(domain));
  return lines;
}

function noSelector(domain: string): CheckLine {
  return warn(`DKIM for ${domain}: cannot check without a selector: sign the mail with DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_FILE (receivers trust signed mail more)`);
}

async function checkDkim(resolveTxt: ResolveTxt, dkim: NonNullable<MailDnsOptions['dkim']>, unreachable: (what: string, why: string) => CheckLine): Promise<CheckLine> {
  const name = `${dkim.keySelector}._domainkey.${dkim.domainName}`;
  const found = await lookUp(resolveTxt, name);
  if ('error' in found) return unreachable(`DKIM ${name}`, found.error);
  const expected = publicKeyOf(dkim.privateKey);
  const publish = expected ? `publish TXT "v=DKIM1; k=rsa; p=${expected}" at ${name}` : `publish the public key of DKIM_PRIVATE_KEY_FILE at ${name}`;
  const record = found.records.find((r) => /(^|;)\s*p=/.test(r));
  if (!record) return fail(`DKIM ${name}: no key record: ${publish}`);
  const published = /(?:^|;)\s*p=([^;]*)/.exec(record)![1]!.replace(/\s+/g, '');
  if (published === '') return fail(`DKIM ${name}: the key is revoked (empty p=): ${publish}`);
  if (expected && published !== expected) return fail(`DKIM ${name}: the published key is not the public half of DKIM_PRIVATE_KEY_FILE, so every signature fails: ${publish}`);
  return ok(`DKIM ${name}: published${expected ? ', and it matches DKIM_PRIVATE_KEY_FILE' : ''}`);
}

/** The RSA public key as DKIM publishes it (SubjectPublicKeyInfo, base64); null for other key types. */
function publicKeyOf(privateKey: string): string | null {
  try {
    const key = createPublicKey(privateKey);
    return key.asymmetricKeyType === 'rsa' ? key.export({ type: 'spki', format: 'der' }).toString('base64') : null;
  } catch {
    return null;
  }
}
