/**
 * "Chrome on macOS": a browser and system a person recognises, read from a User-Agent header. The
 * default name of a new passkey (so its notice and the list name it), and the asking device on
 * the cross-device approval page ("Chrome on macOS asked 2 minutes ago").
 *
 * Only the names, never versions: a version in a name would date it, and the User-Agent's
 * versions are frozen or reduced by the browsers anyway (UA reduction). Order matters: Edge and
 * Opera say "Chrome" too, every iOS browser says "Safari", Android says "Linux".
 */
const BROWSERS: ReadonlyArray<[RegExp, string]> = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\b(OPR|Opera)\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\b(Firefox|FxiOS)\//, 'Firefox'],
  [/\b(Chrome|CriOS|Chromium)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
];

const SYSTEMS: ReadonlyArray<[RegExp, string]> = [
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

/** Longer than any name built here; a header is attacker-controlled text and is read only this far. */
const READ_AT_MOST = 512;

/** `Chrome on macOS`, `Safari on iPhone`, `Firefox`, `Windows`, or `A browser` when nothing is recognised. */
export function describeDevice(userAgent: string | undefined): string {
  const header = (userAgent ?? '').slice(0, READ_AT_MOST);
  const browser = BROWSERS.find(([pattern]) => pattern.test(header))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(header))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? 'A browser';
}
