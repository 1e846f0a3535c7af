/**
 * A page on an origin the API does not allow: the browser really refuses the calls by CORS (the
 * page is served by a second little HTTP server on another port, widget/testing/test-backend.mjs),
 * and tells the page nothing about why. The element then asks `GET /auth/origin` and says what is
 * wrong instead of blaming the visitor's connection.
 */
import { expect } from '@open-wc/testing';

interface PageReport {
  origin: string;
  errors: Array<{ code: string; message: string }>;
  alert: string | null;
}

/** Opens the refused page in a frame and waits for what its element showed. */
async function openRefusedPage(api: string, lang: string): Promise<PageReport> {
  const { origin } = (await (await fetch('/__test/refused-page-origin')).json()) as { origin: string };
  expect(origin, 'the page is on another origin than this one').to.not.equal(location.origin);
  const frame = document.createElement('iframe');
  const report = new Promise<PageReport>((resolve) => {
    const listen = (event: MessageEvent) => {
      if (event.source !== frame.contentWindow) return;
      window.removeEventListener('message', listen);
      resolve(event.data as PageReport);
    };
    window.addEventListener('message', listen);
  });
  frame.src = `${origin}/refused-page.html?api=${encodeURIComponent(api)}&lang=${lang}`;
  document.body.append(frame);
  try {
    return await report;
  } finally {
    frame.remove();
  }
}

describe('<passwordless-login> on a page whose origin the API refuses', function () {
  this.timeout(20_000);

  it('outside production names the origin to add and the variable, instead of "check your connection"', async () => {
    const { origin, errors, alert } = await openRefusedPage('/auth', 'en');
    const sentence = `This page's origin, ${origin}, is not in ALLOWED_ORIGINS on the sign-in server: add it there to let this page sign in.`;
    expect(alert).to.equal(sentence);
    expect(errors).to.deep.equal([{ code: 'forbidden_origin', message: sentence }]);
  });

  for (const [lang, sentence] of [
    ['en', 'This site is not allowed to use this sign-in service. Its owner must add it to ALLOWED_ORIGINS.'],
    ['fr', 'Ce site n’est pas autorisé à utiliser ce service de connexion. Son propriétaire doit l’ajouter à ALLOWED_ORIGINS.'],
  ]) {
    it(`in production tells the visitor in their language (${lang}) that the site is not set up, naming no origin`, async () => {
      const { origin, errors, alert } = await openRefusedPage('/production-auth', lang!);
      expect(alert).to.equal(sentence);
      expect(alert).to.not.contain(origin);
      expect(errors).to.deep.equal([{ code: 'forbidden_origin', message: sentence }]);
    });
  }
});
