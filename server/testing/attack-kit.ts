/**
 * Shared checks for the attack suite. Every attack case ends with `assertRefusedSafely`: a 4xx
 * with the error shape, no mail sent, the data file still JSON, no prototype polluted, and the
 * service still answering a fresh, valid request.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { codeIn, linkIn, type ReceivedMail } from './smtp-sink.ts';
import { readStoreOnDisk, type StoreOnDisk } from './store-on-disk.ts';
import type { Harness } from './harness.ts';
import type { JsonAnswer } from './api-client.ts';

let counter = 0;
/** A fresh address per call, so cases sharing a server never share a login state. */
export function freshEmail(tag = 'user'): string {
  counter += 1;
  return `${tag}-${process.pid}-${counter}@example.com`;
}

/** Waits for mail in flight, so `h.smtp.received` holds everything the server sent so far. */
export async function settle(h: Harness): Promise<void> {
  await h.server.backend.service.idle();
}

/** The error shape of the contract: a 4xx with `{error: {code, message}}`. */
export function assertError(answer: JsonAnswer, status: number, code: string | string[]): void {
  const codes = Array.isArray(code) ? code : [code];
  assert.ok(answer.status < 500, `never a 5xx: got ${answer.status} ${JSON.stringify(answer.body)}`);
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.equal(typeof answer.body?.error?.message, 'string', 'an error message a person can read');
  assert.ok(answer.body.error.message.length > 0);
  assert.ok(codes.includes(answer.body.error.code), `error code ${answer.body.error.code} is one of ${codes.join(', ')}`);
  assert.equal(answer.body.session, undefined, 'no session in an error answer');
  assert.equal(answer.headers.get('set-cookie'), null, 'no cookie set by an error answer');
}

/** Requests a code (202) and returns it with its link, taken from the one mail it caused. */
export async function requestCode(
  h: Harness,
  email: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<{ code: string; link: string; mail: ReceivedMail; answer: JsonAnswer }> {
  const before = h.smtp.received.length;
  const answer = await h.request({ email, ...extra }, headers);
  assert.equal(answer.status, 202, JSON.stringify(answer.body));
  await settle(h);
  const mails = h.smtp.received.slice(before);
  assert.equal(mails.length, 1, 'exactly one mail per request');
  const mail = mails[0]!;
  return { code: codeIn(mail), link: linkIn(mail), mail, answer };
}

/** Signs in with a fresh code; returns the session token and user. */
export async function signIn(h: Harness, email: string): Promise<{ token: string; user: any }> {
  const { code } = await requestCode(h, email);
  const answer = await h.verify({ email, code });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return { token: answer.body.session.token, user: answer.body.user };
}

/** The store's files (snapshot and journal) parse, as a restart would read them; returns their text. */
export async function dataFileText(h: Harness): Promise<string> {
  return (await storeOnDisk(h)).text;
}

export function storeOnDisk(h: Harness): Promise<StoreOnDisk> {
  return readStoreOnDisk(h.server.dataFile);
}

/**
 * After a refused attack: no mail went out since `mailsBefore`, the data file parses, no object
 * prototype was polluted, and the service still takes a valid request and mails its code.
 */
export async function assertStillSound(h: Harness, mailsBefore: number): Promise<void> {
  await settle(h);
  assert.equal(h.smtp.received.length, mailsBefore, 'no mail was sent by the refused request');
  await dataFileText(h);
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is not polluted');
  assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
  const { code } = await requestCode(h, freshEmail('still-works'));
  assert.match(code, /^[0-9]{6}$/);
}

/** Runs `attack` and checks the whole safe outcome: the error, then `assertStillSound`. */
export async function assertRefusedSafely(
  h: Harness,
  attack: () => Promise<JsonAnswer>,
  status: number,
  code: string | string[],
): Promise<JsonAnswer> {
  await settle(h);
  const before = h.smtp.received.length;
  const answer = await attack();
  assertError(answer, status, code);
  await assertStillSound(h, before);
  return answer;
}

/** POST with any raw body and content type (or none). */
export async function rawPost(url: string, body: string | undefined, headers: Record<string, string> = {}): Promise<JsonAnswer> {
  const response = await fetch(url, { method: 'POST', headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? null : JSON.parse(text) };
}

/**
 * A request through node:http, which (unlike fetch) lets a test set `Host` and every other
 * header exactly as an attacker's client would.
 */
export function rawHttp(
  url: string,
  { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const all = body === undefined ? headers : { 'Content-Length': String(Buffer.byteLength(body)), ...headers };
    const req = httpRequest(url, { method, headers: all }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** A code of the same length that is not `code`. */
export function wrongCode(code: string, seed: number): string {
  let candidate = String((Number(code) + 1 + seed) % 10 ** code.length).padStart(code.length, '0');
  if (candidate === code) candidate = String((Number(code) + 2) % 10 ** code.length).padStart(code.length, '0');
  return candidate;
}
