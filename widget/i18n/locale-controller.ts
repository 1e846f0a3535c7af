/**
 * The element's language: which one is wanted (its `lang`, else the closest ancestor's, else the
 * browser's, else English), fetching that catalog when the choice changes, and nothing shown
 * until it is in (no flash of English). Checked at each update, so a `lang` set on the element
 * or on the page is followed at the next render.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Locale } from '../../contract/index.ts';
import { loadCatalog } from './catalogs.ts';
import { en } from './en.ts';
import { matchLocale } from './index.ts';
import type { CoreMessages } from './messages.ts';

export class LocaleController implements ReactiveController {
  /** The sentences of the language shown; null while they are on their way. */
  catalog: CoreMessages | null = null;
  /** The language of `catalog` (English when the wanted one could not be fetched). */
  lang: Locale = 'en';
  readonly #host: ReactiveControllerHost & HTMLElement;
  /** Lets the host wait for a fetch (the element's `settled`). */
  readonly #track: (work: Promise<void>) => unknown;
  #asked: Locale | null = null;

  constructor(host: ReactiveControllerHost & HTMLElement, track: (work: Promise<void>) => unknown) {
    this.#host = host;
    this.#track = track;
    host.addController(this);
  }

  /** The language wanted, whether or not its catalog is in. */
  get wanted(): Locale {
    const candidates = [this.#host.lang || closestLang(this.#host), ...navigator.languages, navigator.language];
    return candidates.map(matchLocale).find((l) => l !== null) ?? 'en';
  }

  hostUpdate(): void {
    const locale = this.wanted;
    if (locale === this.#asked) return;
    this.#asked = locale;
    const show = (catalog: CoreMessages) => {
      if (this.#asked !== locale) return;
      this.catalog = catalog;
      this.lang = catalog === en ? 'en' : locale;
      this.#host.requestUpdate();
    };
    if (locale === 'en') show(en);
    else this.#track(loadCatalog(locale).then(show));
  }
}

/** The `lang` of the closest ancestor, crossing shadow roots. */
function closestLang(element: Element): string | null {
  let node: Node | null = element.parentNode;
  while (node) {
    if (node instanceof Element && node.hasAttribute('lang')) return node.getAttribute('lang');
    node = node instanceof ShadowRoot ? node.host : node.parentNode;
  }
  return null;
}
