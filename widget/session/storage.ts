/**
 * localStorage that never throws: it can be unavailable (blocked third-party storage, private
 * modes) or full, and then values live only as long as the page.
 */

export function readJson(storageKey: string): unknown {
  try {
    const raw = localStorage.getItem(storageKey);
    return raw === null ? null : JSON.parse(raw);
  } catch {
    return null;
  }
}

export function writeJson(storageKey: string, value: unknown): void {
  try {
    localStorage.setItem(storageKey, JSON.stringify(value));
  } catch {
    // Storage unavailable or full: the value lives only in memory for this page.
  }
}

export function removeItem(storageKey: string): void {
  try {
    localStorage.removeItem(storageKey);
  } catch {
    // Storage unavailable: nothing was kept.
  }
}
