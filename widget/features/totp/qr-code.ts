/**
 * The server's QR code (an SVG document, `TotpSetup.qrSvg`) as DOM nodes of the element's own.
 * Not an `<img src="data:image/svg+xml,…">`: under the strict CSP the element supports
 * (`default-src 'self'; script-src 'self'`, demo/csp.html), `img-src` falls back to `'self'` and a
 * data: image is blocked. Nor `innerHTML`: the document is parsed as XML, inert, and only the few
 * elements and attributes a QR code is drawn with are copied over, so nothing else of it (a
 * script, an event attribute, a link, a style) can reach the page, whatever the server sent.
 */
const SVG = 'http://www.w3.org/2000/svg';

/** `qrcode`'s SVG: an `svg` with a background `path` (or `rect`) and a `path` of the dark modules. */
const ALLOWED: Record<string, string[]> = {
  svg: ['viewBox', 'shape-rendering'],
  path: ['d', 'fill', 'stroke', 'stroke-width'],
  rect: ['x', 'y', 'width', 'height', 'fill'],
};

/** Colours as a QR code paints them: `#rgb`/`#rrggbb(aa)` or a plain name; never `url(…)`. */
const PAINT = /^(#[0-9a-f]{3,8}|[a-z]+)$/i;

export function qrCode(svg: string): SVGSVGElement | null {
  const root = new DOMParser().parseFromString(svg, 'image/svg+xml').documentElement;
  const copy = copied(root);
  return copy instanceof SVGSVGElement ? copy : null;
}

function copied(node: Element): Element | null {
  const names = ALLOWED[node.localName];
  if (!names || node.namespaceURI !== SVG) return null;
  const out = document.createElementNS(SVG, node.localName);
  for (const name of names) {
    const value = node.getAttribute(name);
    if (value !== null && (!/^(fill|stroke)$/.test(name) || PAINT.test(value))) out.setAttribute(name, value);
  }
  for (const child of node.children) {
    const kept = copied(child);
    if (kept) out.append(kept);
  }
  return out;
}
