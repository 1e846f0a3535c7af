/**
 * The undo link's page in real Chromium, under its strict CSP: opening the link changes nothing,
 * the button undoes the change and says so in the page's language, and a second press (or a
 * reload of the spent link) says the link is used. No script error and no CSP refusal.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { AccountPath } from '../../contract/account.ts';
import { chromiumArgs, chromiumPath } from '../../widget/testing/chromium.mjs';
import { postJson } from '../testing/api-client.ts';
import { freshEmail, settle, signIn, storeOnDisk } from '../testing/attack-kit.ts';
import { startHarness, type Harness } from '../testing/harness.ts';
import { codeIn, linkIn } from '../testing/smtp-sink.ts';

describe('the undo page in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  before(async () => {
    h = await startHarness();
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  });
  after(async () => {
    await browser?.close();
    await h.close();
  });

  it('undoes the change on the button, not on opening, and refuses the spent link', async () => {
    const old = freshEmail('page-old');
    const { token, user } = await signIn(h, old);
    const auth = { Authorization: `Bearer ${token}` };
    const before = h.smtp.received.length;
    const to = freshEmail('page-new');
    assert.equal((await postJson(h.api(AccountPath.emailChangeStart), { email: to, locale: 'es' }, auth)).status, 202);
    await settle(h);
    assert.equal((await postJson(h.api(AccountPath.emailChangeConfirm), { email: to, code: codeIn(h.smtp.received[before]!) }, auth)).status, 200);
    await settle(h);
    const link = linkIn(h.smtp.received[before + 1]!);

    const context = await browser.newContext({ locale: 'es-ES' });
    const page = await context.newPage();
    const errors: string[] = [];
    // A CSP refusal is a console error ("Refused to …"); failed loads (the favicon, the refused undo) are not ours to count here.
    page.on('console', (message) => message.type() === 'error' && !message.text().startsWith('Failed to load resource') && errors.push(message.text()));
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(link);
    await page.getByRole('button', { name: 'Deshacer el cambio' }).waitFor();
    assert.notEqual((await storeOnDisk(h)).users[user.id].email, old, 'opening the link undid nothing');
    await page.getByRole('button', { name: 'Deshacer el cambio' }).click();
    await page.getByText(`Listo: tu cuenta vuelve a tener la dirección ${old}`).waitFor();
    assert.equal((await storeOnDisk(h)).users[user.id].email, old);
    assert.equal(new URL(page.url()).hash, '', 'the token leaves the address bar');

    // The spent link opened again (a fresh page: the same URL would be a same-document jump).
    const again = await context.newPage();
    again.on('pageerror', (error) => errors.push(error.message));
    await again.goto(link);
    await again.getByRole('button', { name: 'Deshacer el cambio' }).click();
    await again.getByText('Este enlace no es válido, ha caducado o ya se usó.').waitFor();
    assert.equal(await again.getByRole('button', { name: 'Deshacer el cambio' }).isDisabled(), true, 'nothing left to press');
    assert.deepEqual(errors, [], 'no script error, no CSP refusal');
    await context.close();
  });
});
