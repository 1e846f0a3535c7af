/**
 * "Chrome on macOS": the browser and system of a User-Agent header, in words a person knows, for
 * the approval prompt on the other device ("Chrome on macOS asked 2 minutes ago"). Names only,
 * never versions (browsers freeze or reduce them anyway). The order of the patterns matters:
 * Edge and Opera also say "Chrome", every iOS browser says "Safari", Android also says "Linux".
 */
const BROWSERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\b(OPR|Opera)\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\b(Firefox|FxiOS)\//, 'Firefox'],
  [/\b(Chrome|CriOS|Chromium)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
];

const SYSTEMS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMacintosh\b|\bMac OS X\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

/** Real headers are under 300 characters; the header is the client's text, read no further than this. */
const READ_AT_MOST = 512;

/** `Chrome on macOS`, `Safari on iPhone`, `Firefox`, `Windows`, or `A browser` when nothing is recognised. */
export function describeDevice(userAgent: string | undefined): string {
  const header = (userAgent ?? '').slice(0, READ_AT_MOST);
  const browser = BROWSERS.find(([pattern]) => pattern.test(header))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(header))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? 'A browser';
}
