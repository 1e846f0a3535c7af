import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../module.ts';
import type { PasswordlessEventMap } from '../../element/events.ts';
import type { PasswordlessLogin } from '../../element/passwordless-login.ts';
import { en as core } from '../../i18n/en.ts';
import { setModuleLoader, type ModuleLoader } from '../../on-demand/on-demand.ts';
import { advanceServerClock, mailTo, serverNow, uniqueEmail } from '../../testing/backend.ts';
import { FakeClock } from '../../testing/fake-clock.ts';
import { $, $$, click, text } from '../../testing/shadow-dom.ts';
import { base32Bytes, totpCode } from '../../testing/totp.ts';
import { attached } from './element-totp.ts';
import { en } from './en.ts';
import ar from './locales/ar.ts';
import fr from './locales/fr.ts';

// The totp module in the element, against the real backend with authenticator-app codes on
// (/totp-auth, TOTP=on): real email codes from the dev mailbox, the app's codes computed here from
// the key the page shows (testing/totp.ts), the server's clock moved rather than waited for.

const API = '/totp-auth';

/** The ES module build's loader (module.ts), recording which feature modules the page fetched. */
const fetched: string[] = [];
setModuleLoader(((folder: string, name: string) => {
  if (folder === 'locales') return import(`../../i18n/locales/${name}.ts`);
  fetched.push(name);
  return import(`../${name}/index.ts`);
}) as ModuleLoader);

type EventName = keyof PasswordlessEventMap;
let events: Array<{ type: EventName; detail: unknown }> = [];
const names: EventName[] = ['passwordless-error', 'passwordless-success', 'passwordless-step-change'];
const record = (event: Event) => events.push({ type: event.type as EventName, detail: (event as CustomEvent).detail });
const errors = () => events.filter((e) => e.type === 'passwordless-error').map((e) => e.detail as { code: string; message: string });

beforeEach(() => {
  localStorage.clear();
  events = [];
  for (const name of names) document.addEventListener(name, record);
});

afterEach(() => {
  for (const name of names) document.removeEventListener(name, record);
});

async function mount(lang = 'en'): Promise<PasswordlessLogin> {
  const el = await fixture<PasswordlessLogin>(html`<passwordless-login api=${API} lang=${lang}></passwordless-login>`);
  el.clock = new FakeClock(Date.now());
  await el.settled;
  return el;
}

/** The element's work and the module's (its own calls, which the element's `settled` does not see) done, and drawn. */
async function settle(el: PasswordlessLogin): Promise<void> {
  await el.settled;
  await attached.get(el)?.settled;
  await el.settled;
}

const focused = (el: PasswordlessLogin) => el.shadowRoot!.activeElement;
const step = (el: PasswordlessLogin) => (el as unknown as { flow: { step: string } }).flow.step;

/** Types into the focused field, as a person does (the element hears `input` events). */
async function type(el: PasswordlessLogin, selector: string, value: string): Promise<void> {
  const input = $(el, selector) as HTMLInputElement;
  input.focus();
  input.select();
  await sendKeys({ type: value });
  await settle(el);
}

/** A code that is not `code`: each digit moved by `by` (1–9). */
const wrongOf = (code: string, by = 5) => code.replace(/./g, (d) => String((Number(d) + by) % 10));

/** The app's code now, on the server's clock; `fresh`: a step later first, so a code used before is not this one. */
async function appCode(secret: string, fresh = true): Promise<string> {
  if (fresh) await advanceServerClock(30_000);
  return totpCode(secret, await serverNow());
}

/** The email code's first factor, by typing (the focus is in the element, as a person's is). */
async function firstFactor(el: PasswordlessLogin, email: string): Promise<void> {
  // The server takes one code request per address a minute.
  await advanceServerClock(61_000);
  await type(el, '#email', email);
  await sendKeys({ press: 'Enter' });
  await settle(el);
  await type(el, '#code', (await mailTo(email)).code);
}

async function signInWithoutSecondFactor(el: PasswordlessLogin, email: string): Promise<void> {
  await firstFactor(el, email);
  expect(el.user?.email).to.equal(email);
}

async function openDisclosure(el: PasswordlessLogin): Promise<void> {
  click(el, '[part~="totp-summary"]');
  await waitUntil(() => $(el, '[part~="totp-turn-on"], [part~="totp-turn-off"]'), 'the status');
  await settle(el);
}

/** Turns it on from the signed-in step; the key as the page shows it, and the recovery codes. */
async function turnOn(el: PasswordlessLogin): Promise<{ secret: string; codes: string[] }> {
  await openDisclosure(el);
  click(el, '[part~="totp-turn-on"]');
  await waitUntil(() => $(el, '[part~="totp-secret"]'), 'the key');
  await settle(el);
  const secret = text(el, '[part~="totp-secret"]')!.replace(/\s/g, '');
  await type(el, '#totp-code', await appCode(secret, false));
  await sendKeys({ press: 'Enter' });
  await waitUntil(() => $(el, '[part~="totp-codes"]'), 'the recovery codes');
  await settle(el);
  const codes = $$(el, '[part~="totp-codes"] li').map((li) => li.textContent!.trim());
  return { secret, codes };
}

async function signOut(el: PasswordlessLogin): Promise<void> {
  await el.signOut();
  await settle(el);
  expect(el.user).to.equal(null);
}

describe('the totp module', () => {
  it('is not fetched where the config has no totp, and is where it says totp: true', async () => {
    const off = await fixture<PasswordlessLogin>(html`<passwordless-login api="/no-account-auth"></passwordless-login>`);
    await off.settled;
    await signInWithoutSecondFactor(off, uniqueEmail('totp-off-server'));
    expect(fetched).to.not.include('totp');
    expect($(off, '[part~="totp"]')).to.equal(null);
    off.remove();
    const on = await mount();
    expect(fetched).to.include('totp');
    expect(on.user).to.equal(null);
  });

  it('computes RFC 6238 codes (its SHA-1 test vector at 59 s and at 1111111109 s)', async () => {
    // RFC 6238 appendix B: the key "12345678901234567890"; 8-digit codes 94287082 and 07081804.
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect([...base32Bytes(secret)].map((b) => String.fromCharCode(b)).join('')).to.equal('12345678901234567890');
    expect(await totpCode(secret, 59_000)).to.equal('287082');
    expect(await totpCode(secret, 1_111_111_109_000)).to.equal('081804');
  });

  it('turns on from the signed-in step: the QR code as nodes of its own, the key by 4, the first code, ten recovery codes to download', async () => {
    const el = await mount();
    const email = uniqueEmail('totp-on');
    await signInWithoutSecondFactor(el, email);
    await openDisclosure(el);
    expect(text(el, '#totp-why')).to.equal(en.offWhy);
    await expect(el).to.be.accessible();
    click(el, '[part~="totp-turn-on"]');
    await waitUntil(() => $(el, '[part~="totp-secret"]'), 'the key');
    await settle(el);
    expect(focused(el)?.id, 'the focus on the code to confirm with').to.equal('totp-code');
    // The server's SVG, copied as SVG nodes: modules drawn, nothing but svg and path.
    const qr = $(el, '[part~="totp-qr"]')!;
    expect(qr.getAttribute('role')).to.equal('img');
    expect(qr.getAttribute('aria-label')).to.equal(en.qrLabel);
    const svg = qr.querySelector('svg')!;
    expect(svg.namespaceURI).to.equal('http://www.w3.org/2000/svg');
    expect(svg.querySelectorAll('path').length).to.be.greaterThan(0);
    expect([...svg.querySelectorAll('*')].every((node) => ['path', 'rect'].includes(node.localName))).to.equal(true);
    expect(svg.getBoundingClientRect().width).to.be.greaterThan(100);
    const shown = text(el, '[part~="totp-secret"]')!;
    expect(shown).to.match(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
    await expect(el).to.be.accessible();

    const secret = shown.replace(/\s/g, '');
    await type(el, '#totp-code', wrongOf(await appCode(secret, false)));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(el, '[part~="totp-error"]'), 'a wrong first code is refused');
    expect(focused(el)?.id).to.equal('totp-code');
    await type(el, '#totp-code', await appCode(secret, false));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(el, '[part~="totp-codes"]'), 'the recovery codes');
    await settle(el);
    expect(focused(el)?.id, 'the focus on the codes heading').to.equal('totp-codes-title');
    const codes = $$(el, '[part~="totp-codes"] li').map((li) => li.textContent!.trim());
    expect(codes).to.have.length(10);
    for (const code of codes) expect(code).to.match(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    const link = $(el, '[part~="totp-download"]') as HTMLAnchorElement;
    expect(link.download).to.equal('recovery-codes.txt');
    expect(link.href).to.match(/^blob:/);
    expect(await (await fetch(link.href)).text()).to.equal(`${codes.join('\n')}\n`);
    await expect(el).to.be.accessible();

    click(el, '[part~="totp-saved"]');
    await settle(el);
    expect($(el, '[part~="totp-codes"]'), 'shown once').to.equal(null);
    expect(link.isConnected).to.equal(false);
    expect(text(el, '[part~="totp-on"]')).to.contain(en.codesLeft(10));
    await expect(el).to.be.accessible();
    expect(focused(el)?.getAttribute('part')).to.equal('totp-summary');
  });

  it('drops the recovery codes and revokes their Blob URL when the element leaves the page', async () => {
    const el = await mount();
    await signInWithoutSecondFactor(el, uniqueEmail('totp-leave'));
    const { codes } = await turnOn(el);
    const href = ($(el, '[part~="totp-download"]') as HTMLAnchorElement).href;
    expect(await (await fetch(href)).text(), 'the file while they show').to.equal(`${codes.join('\n')}\n`);
    el.remove();
    const kept = attached.get(el)!;
    expect(kept.codes).to.equal(null);
    expect(kept.download).to.equal('');
    expect(kept.setup, 'the key dropped too').to.equal(null);
    let revoked = false;
    await fetch(href).catch(() => (revoked = true));
    expect(revoked, 'a revoked Blob URL no longer loads').to.equal(true);
  });

  it('asks for the app code after the email code; a wrong one says the attempts left; a replayed one is refused', async () => {
    const el = await mount();
    const email = uniqueEmail('totp-sign-in');
    await signInWithoutSecondFactor(el, email);
    const { secret } = await turnOn(el);
    await signOut(el);

    await firstFactor(el, email);
    expect(step(el)).to.equal('second-factor');
    expect(el.user, 'no session before the second step').to.equal(null);
    expect(el.session).to.equal(null);
    expect(text(el, '[part~="title"]')).to.equal(en.secondStepTitle);
    expect(text(el, '#note')).to.equal(en.enterCode);
    const input = $(el, '#code') as HTMLInputElement;
    expect(input.autocomplete).to.equal('one-time-code');
    expect(input.inputMode).to.equal('numeric');
    expect(focused(el)?.id, 'the focus moved on with the person').to.equal('code');
    await expect(el).to.be.accessible();

    const right = await appCode(secret);
    await type(el, '#code', wrongOf(right));
    expect(step(el)).to.equal('second-factor');
    expect(errors().at(-1)?.code).to.equal('invalid_code');
    const alert = text(el, '[role="alert"]')!;
    expect(alert).to.match(/attempts? left/);
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    await expect(el).to.be.accessible();

    await type(el, '#code', right);
    expect(el.user?.email).to.equal(email);
    const success = events.filter((e) => e.type === 'passwordless-success').at(-1)!.detail as { method: string };
    expect(success.method).to.equal('code');
    await signOut(el);

    // The same code again, in the same 30 seconds: used once, refused now.
    await firstFactor(el, email);
    await type(el, '#code', right);
    expect(el.user).to.equal(null);
    expect(errors().at(-1)?.code).to.equal('invalid_code');
    await type(el, '#code', await appCode(secret));
    expect(el.user?.email).to.equal(email);
  });

  it('signs in with a recovery code, once; "Use a recovery code" switches the field, and back', async () => {
    const el = await mount();
    const email = uniqueEmail('totp-recovery');
    await signInWithoutSecondFactor(el, email);
    const { codes } = await turnOn(el);
    await signOut(el);

    await firstFactor(el, email);
    await sendKeys({ press: 'Tab' }); // from the field to "Verify"
    await sendKeys({ press: 'Tab' }); // to "Use a recovery code"
    expect(focused(el)?.getAttribute('part')).to.equal('button use-recovery-code');
    await sendKeys({ press: 'Enter' });
    await settle(el);
    const field = $(el, '#code') as HTMLInputElement;
    expect(focused(el)).to.equal(field);
    expect(text(el, 'label[for="code"]')).to.equal(en.recoveryLabel);
    expect(field.inputMode).to.equal('');
    expect(text(el, '[part~="use-recovery-code"]')).to.equal(en.useApp);
    await expect(el).to.be.accessible();
    await type(el, '#code', codes[3]!.toUpperCase());
    await sendKeys({ press: 'Enter' });
    await settle(el);
    expect(el.user?.email).to.equal(email);
    await signOut(el);

    await firstFactor(el, email);
    click(el, '[part~="use-recovery-code"]');
    await settle(el);
    await type(el, '#code', codes[3]!);
    await sendKeys({ press: 'Enter' });
    await settle(el);
    expect(el.user, 'a recovery code works once').to.equal(null);
    expect(errors().at(-1)?.code).to.equal('invalid_code');
    click(el, '[part~="use-recovery-code"]');
    await settle(el);
    expect(text(el, 'label[for="code"]')).to.equal(en.appCodeLabel);
  });

  it('sends the person back to the start when the 5 minutes are over, saying so', async () => {
    const el = await mount();
    const email = uniqueEmail('totp-expired');
    await signInWithoutSecondFactor(el, email);
    const { secret } = await turnOn(el);
    await signOut(el);
    await firstFactor(el, email);
    expect(step(el)).to.equal('second-factor');
    // The server's 5 minutes, not the element's: the server says the ticket is over.
    await advanceServerClock(301_000);
    await type(el, '#code', await appCode(secret, false));
    expect(step(el)).to.equal('email');
    expect(el.user).to.equal(null);
    expect(text(el, '[role="alert"]')).to.equal(en.errors.invalid_second_factor);
    expect(errors().at(-1)?.code).to.equal('invalid_second_factor');
  });

  it('sends the person back to the start after too many wrong codes', async () => {
    const el = await mount();
    const email = uniqueEmail('totp-cap');
    await signInWithoutSecondFactor(el, email);
    const { secret } = await turnOn(el);
    await signOut(el);
    await firstFactor(el, email);
    const right = await appCode(secret);
    // Five wrong codes (the cap the email codes have, counted across both factors), each another.
    let wrongs = 0;
    while (step(el) === 'second-factor' && wrongs < 9) await type(el, '#code', wrongOf(right, ++wrongs));
    expect(wrongs).to.be.at.most(5);
    expect(step(el)).to.equal('email');
    expect(errors().at(-1)?.code).to.equal('too_many_attempts');
    expect(text(el, '[role="alert"]')).to.equal(core.errors.too_many_attempts);
  });

  it('turns off with an app code, and gives new recovery codes for a recovery code; the next sign-in asks nothing more', async () => {
    const el = await mount();
    const email = uniqueEmail('totp-off');
    await signInWithoutSecondFactor(el, email);
    const { secret, codes } = await turnOn(el);
    click(el, '[part~="totp-saved"]');
    await settle(el);

    click(el, '[part~="totp-new-codes"]');
    await settle(el);
    expect(focused(el)?.id).to.equal('totp-code');
    await expect(el).to.be.accessible();
    await type(el, '#totp-code', codes[0]!);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(el, '[part~="totp-codes"]'), 'new recovery codes');
    const renewed = $$(el, '[part~="totp-codes"] li').map((li) => li.textContent!.trim());
    expect(renewed).to.have.length(10);
    expect(renewed).not.to.include(codes[1]);
    click(el, '[part~="totp-saved"]');
    await settle(el);

    click(el, '[part~="totp-turn-off"]');
    await settle(el);
    await type(el, '#totp-code', codes[1]!);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(el, '[part~="totp-error"]'), 'an old recovery code no longer works');
    await type(el, '#totp-code', await appCode(secret));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(el, '[part~="totp-turn-on"]'), 'off');
    await settle(el);
    expect(focused(el)?.getAttribute('part')).to.contain('totp-turn-on');
    expect(text(el, '[role="status"]:not(:empty)')).to.equal(en.turnedOff);
    await signOut(el);
    await signInWithoutSecondFactor(el, email);
  });

  it('shows the second step when the other device approves the sign-in (the wait carries the key)', async () => {
    const el = await mount();
    const email = uniqueEmail('totp-approval');
    await signInWithoutSecondFactor(el, email);
    const { secret } = await turnOn(el);
    await signOut(el);

    await advanceServerClock(61_000);
    await el.requestCode(email);
    await waitUntil(() => /\d\d/.test(text(el, '[part~="approval-number"]') ?? ''), 'the number beside the code');
    const number = Number(/\d\d/.exec(text(el, '[part~="approval-number"]')!)![0]);
    const token = new URLSearchParams(new URL((await mailTo(email)).link).hash.slice(1)).get('pl_token')!;
    const approved = await fetch(`${API}/approval/approve`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token, number }),
    });
    expect(approved.status).to.equal(200);
    await waitUntil(() => step(el) === 'second-factor', 'the second step');
    expect(el.user, 'no session before the app code').to.equal(null);
    await type(el, '#code', await appCode(secret));
    expect(el.user?.email).to.equal(email);
    const success = events.filter((e) => e.type === 'passwordless-success').at(-1)!.detail as { method: string };
    expect(success.method).to.equal('link');
  });

  for (const [lang, sentences, dir] of [
    ['fr', fr, 'ltr'],
    ['ar', ar, 'rtl'],
  ] as const) {
    it(`asks for the second step in ${lang} (${dir}), and axe finds nothing`, async () => {
      const setup = await mount();
      const email = uniqueEmail(`totp-${lang}`);
      await signInWithoutSecondFactor(setup, email);
      await turnOn(setup);
      await signOut(setup);
      setup.remove();

      const el = await mount(lang);
      await firstFactor(el, email);
      expect(step(el)).to.equal('second-factor');
      expect($(el, '[part~="base"]')!.dir).to.equal(dir);
      expect(text(el, '[part~="title"]')).to.equal(sentences.secondStepTitle);
      expect(text(el, '#note')).to.equal(sentences.enterCode);
      expect(text(el, 'label[for="code"]')).to.equal(sentences.appCodeLabel);
      expect(text(el, '[part~="use-recovery-code"]')).to.equal(sentences.useRecoveryCode);
      await expect(el).to.be.accessible();
      await advanceServerClock(301_000);
      await type(el, '#code', '123456');
      expect(text(el, '[role="alert"]')).to.equal(sentences.errors.invalid_second_factor);
    });
  }
});
