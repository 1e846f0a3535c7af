import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import type { TemplateResult } from 'lit';
import { LOCALES, RTL_LOCALES } from '../../contract/index.ts';
import '../module.ts';
import { en } from '../i18n/en.ts';
import type { Messages } from '../i18n/messages.ts';
import type { PasswordlessLogin } from './passwordless-login.ts';
import { mailTo, uniqueEmail } from '../testing/backend.ts';
import { FakeClock } from '../testing/fake-clock.ts';

// Accessibility, themes, languages and direction, against the real backend (see
// passwordless-login.test.ts for the flow itself).

const pageUrl = location.href.split('#')[0]!;

beforeEach(() => localStorage.clear());
afterEach(async () => {
  history.replaceState(null, '', pageUrl);
  await emulateMedia({ colorScheme: 'light' });
});

async function mount(template: TemplateResult, parentScheme = '') {
  const parent = await fixture<HTMLElement>(html`<div>${template}</div>`);
  // A CSSOM style (not an attribute): what a page's stylesheet would do.
  if (parentScheme) parent.style.colorScheme = parentScheme;
  const el = parent.querySelector('passwordless-login') as PasswordlessLogin;
  el.clock = new FakeClock(Date.now());
  el.requestUpdate(); // the page switched its color-scheme: the documented way to follow at once
  await el.settled;
  return el;
}

const $ = (el: PasswordlessLogin, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);
const button = (el: PasswordlessLogin, part: string) => $(el, `button[part~="${part}"]`) as HTMLButtonElement;

async function sendCode(el: PasswordlessLogin, email: string) {
  await el.requestCode(email);
  await el.updateComplete;
  expect($(el, '[role="alert"]')?.textContent ?? null, 'the code request failed').to.equal(null);
}

type Step = 'email' | 'code' | 'code-with-error' | 'link' | 'signed-in';

/** Brings a fresh element to `step` the way a person would. */
async function reach(step: Step, lang: string, theme: string): Promise<PasswordlessLogin> {
  const widget = () => mount(html`<passwordless-login lang=${lang} theme=${theme}></passwordless-login>`);
  const email = uniqueEmail(`axe-${step}`);
  if (step === 'link') {
    const first = await widget();
    await sendCode(first, email);
    localStorage.clear(); // another browser: the link waits for a click
    history.replaceState(null, '', (await mailTo(email)).link);
    return widget();
  }
  const el = await widget();
  if (step === 'email') return el;
  await sendCode(el, email);
  if (step === 'code') return el;
  const { code } = await mailTo(email);
  await el.verifyCode(step === 'signed-in' ? code : code.replace(/\d$/, (d) => String((Number(d) + 1) % 10)));
  await el.updateComplete;
  return el;
}

// WCAG relative luminance and contrast ratio, from computed `rgb(…)` colors.
function luminance(color: string): number {
  const [r, g, b] = color.match(/[\d.]+/g)!.slice(0, 3).map((c) => {
    const v = Number(c) / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('<passwordless-login> accessibility', () => {
  const steps: Step[] = ['email', 'code', 'code-with-error', 'link', 'signed-in'];
  for (const lang of ['en', 'zh-CN', 'ar']) {
    for (const theme of ['light', 'dark']) {
      for (const step of steps) {
        it(`axe finds nothing on the ${step} step, ${theme}, ${lang}`, async () => {
          const el = await reach(step, lang, theme);
          const error = step === 'code-with-error';
          expect(Boolean($(el, '[role="alert"]')), 'an error is shown exactly on the error step').to.equal(error);
          expect($(el, '[part~="base"]')!.lang).to.equal(lang);
          await expect(el).to.be.accessible();
        });
      }
    }
  }

  for (const theme of ['light', 'dark']) {
    it(`keeps text, muted text, error and button text at 4.5:1 or more, and the focus ring visible, ${theme}`, async () => {
      const el = await reach('code-with-error', 'en', theme);
      const base = getComputedStyle($(el, '[part~="base"]')!).backgroundColor;
      const pairs: Array<[string, string, string]> = [
        ['text', getComputedStyle($(el, '[part~="title"]')!).color, base],
        ['muted', getComputedStyle($(el, '[part~="text"]')!).color, base],
        ['error', getComputedStyle($(el, '[part~="error"]')!).color, base],
        ['secondary button', getComputedStyle(button(el, 'change-email')).color, base],
        ['primary button', getComputedStyle(button(el, 'primary')).color, getComputedStyle(button(el, 'primary')).backgroundColor],
      ];
      for (const [name, fg, bg] of pairs) expect(contrast(fg, bg), `${name}: ${fg} on ${bg}`).to.be.at.least(4.5);

      button(el, 'change-email').focus();
      const ring = getComputedStyle(button(el, 'change-email'));
      expect(ring.outlineStyle).to.equal('solid');
      expect(parseFloat(ring.outlineWidth)).to.be.at.least(2);
      expect(contrast(ring.outlineColor, base), 'focus ring against the box').to.be.at.least(3);
      const field = getComputedStyle($(el, '#code')!).borderTopColor;
      expect(contrast(field, base), 'the code field border').to.be.at.least(3);
    });
  }
});

describe('<passwordless-login> theme', () => {
  const background = (el: PasswordlessLogin) => getComputedStyle($(el, '[part~="base"]')!).backgroundColor;
  const white = 'rgb(255, 255, 255)';
  const dark = 'rgb(28, 28, 33)';

  it('auto follows the color-scheme the host page declares, over the system preference', async () => {
    await emulateMedia({ colorScheme: 'light' });
    expect(background(await mount(html`<passwordless-login></passwordless-login>`, 'dark'))).to.equal(dark);
    await emulateMedia({ colorScheme: 'dark' });
    expect(background(await mount(html`<passwordless-login></passwordless-login>`, 'light'))).to.equal(white);
  });

  it('auto follows the system preference when the page declares no color-scheme', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    const el = await mount(html`<passwordless-login theme="auto"></passwordless-login>`);
    expect(background(el)).to.equal(dark);
    await emulateMedia({ colorScheme: 'light' });
    expect(background(el)).to.equal(white);
  });

  it('light and dark pin the colors whatever the page and system say', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    expect(background(await mount(html`<passwordless-login theme="light"></passwordless-login>`, 'dark'))).to.equal(white);
    await emulateMedia({ colorScheme: 'light' });
    expect(background(await mount(html`<passwordless-login theme="dark"></passwordless-login>`, 'light'))).to.equal(dark);
  });
});

describe('<passwordless-login> languages and direction', () => {
  for (const locale of LOCALES) {
    it(`shows the ${locale} catalog for lang="${locale}"`, async () => {
      const catalog: Messages = locale === 'en' ? en : (await import(`../i18n/locales/${locale}.ts`)).default;
      if (locale !== 'en') expect(catalog.title, 'a translated title').not.to.equal(en.title);
      const el = await mount(html`<passwordless-login lang=${locale}></passwordless-login>`);
      expect($(el, '[part~="title"]')!.textContent).to.equal(catalog.title);
      expect($(el, '[part~="base"]')!.lang).to.equal(locale);
    });
  }

  it('turns right to left in Arabic, with only logical properties', async () => {
    const el = await mount(html`<passwordless-login lang="ar"></passwordless-login>`);
    const base = $(el, '[part~="base"]')!;
    expect(RTL_LOCALES).to.include('ar');
    expect(base.dir).to.equal('rtl');
    expect(getComputedStyle(base).direction).to.equal('rtl');
    // The label's text starts at the inline start: the right edge in Arabic.
    const range = document.createRange();
    range.selectNodeContents($(el, 'label')!);
    const label = range.getBoundingClientRect();
    const box = base.getBoundingClientRect();
    expect(Math.round(box.right - label.right)).to.be.lessThan(Math.round(label.left - box.left));
    const sheet = el.shadowRoot!.adoptedStyleSheets[0]!;
    const css = [...sheet.cssRules].map((r) => r.cssText).join('\n');
    expect(css).not.to.match(/\b(margin|padding|border)-(left|right)\b|\b(left|right):|text-align:\s*(left|right)/);
  });

  it('stays left to right in a language that is not, inside a right-to-left page', async () => {
    const el = await mount(html`<div dir="rtl"><passwordless-login lang="en"></passwordless-login></div>`);
    expect($(el, '[part~="base"]')!.dir).to.equal('ltr');
  });
});
