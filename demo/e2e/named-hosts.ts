/**
 * Real host names over HTTPS on loopback, for what WebAuthn's Related Origin Requests need: a page
 * on `https://shop.test` may use the RP ID `login.test` only when Chromium fetches
 * `https://login.test/.well-known/webauthn` (port 443, a secure connection) and finds the page's
 * origin listed there. Neither an IP address nor `localhost` can show that: an IP is never an RP
 * ID, and every `localhost:<port>` shares the one RP ID `localhost` without any fetch.
 *
 * How (checked with Chromium 156, docs/contributing.md#passkeys-in-chromium): each name gets its
 * own HTTPS server on an ephemeral loopback port, the browser maps `name:443` to it
 * (`--host-resolver-rules`), and one self-signed certificate made by `openssl` covers every name.
 * The certificate needs `--ignore-certificate-errors` on the command line: playwright's
 * `ignoreHTTPSErrors` only reaches the page's own requests, and the browser's fetch of the
 * well-known file then fails as if the file were missing.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { RequestListener } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Certificate {
  key: string;
  cert: string;
}

/** A P-256 key and a self-signed certificate for `names` (its subjectAltName), valid one day. */
export async function selfSignedCertificate(names: readonly string[]): Promise<Certificate> {
  const dir = await mkdtemp(join(tmpdir(), 'passwordless-tls-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    await run('openssl', [
      'req', '-x509', '-nodes', '-days', '1',
      '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
      '-keyout', key, '-out', cert,
      '-subj', `/CN=${names[0]}`,
      '-addext', `subjectAltName=${names.map((name) => `DNS:${name}`).join(',')}`,
    ]);
    return { key: await readFile(key, 'utf8'), cert: await readFile(cert, 'utf8') };
  } catch (error) {
    throw new Error(`openssl could not make a test certificate (is it on the PATH? apt-get install openssl): ${(error as Error).message}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface NamedHost {
  /** `https://<name>`: what the browser's address bar shows (port 443, mapped to `port`). */
  origin: string;
  name: string;
  port: number;
  close(): Promise<void>;
}

/** Serves `handler` over HTTPS on a loopback port, for the browser to reach as `https://<name>`. */
export async function startNamedHost(name: string, certificate: Certificate, handler: RequestListener): Promise<NamedHost> {
  const server: Server = createServer(certificate, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    origin: `https://${name}`,
    name,
    port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The Chromium flags that send each host's name to its server and accept the test certificate. */
export function namedHostArgs(hosts: readonly NamedHost[]): string[] {
  const rules = hosts.map((host) => `MAP ${host.name}:443 127.0.0.1:${host.port}`).join(', ');
  return [`--host-resolver-rules=${rules}`, '--ignore-certificate-errors'];
}
