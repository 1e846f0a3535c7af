/**
 * Passkey ceremonies over real HTTP for the tests: a harness's server, a software authenticator,
 * and the calls a browser's passkey module makes (options, then the answer).
 */
import assert from 'node:assert/strict';
import { PasskeyPath } from '../../contract/passkeys.ts';
import { getJson, postJson, type JsonAnswer } from './api-client.ts';
import { settle } from './attack-kit.ts';
import type { Harness } from './harness.ts';
import type { ReceivedMail } from './smtp-sink.ts';
import { SoftwareAuthenticator, type Bend } from './software-authenticator.ts';

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A software authenticator on the server's own origin (what a browser on its pages would write). */
export function authenticatorFor(h: Harness, options: { counter?: 'counting' | 'none'; synced?: boolean } = {}): SoftwareAuthenticator {
  return new SoftwareAuthenticator({ origin: h.server.url, ...options });
}

export function registerOptions(h: Harness, token: string | null): Promise<JsonAnswer> {
  return postJson(h.api(PasskeyPath.registerOptions), {}, token ? bearer(token) : {});
}

/** Asks for options and answers them; returns the answer to `POST /passkey/register`. */
export async function register(h: Harness, token: string, authenticator: SoftwareAuthenticator, bend: Bend = {}, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<JsonAnswer> {
  const options = await registerOptions(h, token);
  assert.equal(options.status, 200, JSON.stringify(options.body));
  const credential = authenticator.create(options.body.options, bend);
  return postJson(h.api(PasskeyPath.register), { credential, ...extra }, { ...bearer(token), ...headers });
}

/** `register`, expecting a 201, and takes the notice it mailed; returns the new passkey's info. */
export async function addPasskey(h: Harness, token: string, authenticator: SoftwareAuthenticator): Promise<any> {
  const answer = await register(h, token, authenticator);
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  await takeNotice(h);
  return answer.body;
}

/** The "a passkey was added" mail a registration sent: the last mail, once the mailer is idle. */
export async function takeNotice(h: Harness): Promise<ReceivedMail> {
  await settle(h);
  const mail = h.smtp.received.at(-1);
  assert.ok(mail, 'a mail was sent');
  assert.doesNotMatch(mail.text, /\b\d{6}\b/, 'a notice, not a code');
  return mail;
}

export async function signInOptions(h: Harness): Promise<Record<string, any>> {
  const answer = await postJson(h.api(PasskeyPath.signInOptions), {});
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body.options;
}

/** Asks for sign-in options and answers them with credential `id`; returns the answer to `POST /passkey/sign-in`. */
export async function passkeySignIn(h: Harness, authenticator: SoftwareAuthenticator, id?: string, bend: Bend = {}, headers: Record<string, string> = {}): Promise<JsonAnswer> {
  const credential = authenticator.get(await signInOptions(h), id, bend);
  return postJson(h.api(PasskeyPath.signIn), { credential }, headers);
}

export function listPasskeys(h: Harness, token: string): Promise<JsonAnswer> {
  return getJson(h.api(PasskeyPath.list), bearer(token));
}

export async function itemCall(h: Harness, method: 'PATCH' | 'DELETE', token: string, id: string, body?: unknown): Promise<JsonAnswer> {
  const response = await fetch(h.api(PasskeyPath.item.replace(':id', encodeURIComponent(id))), {
    method,
    headers: { ...bearer(token), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? null : JSON.parse(text) };
}
