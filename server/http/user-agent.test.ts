/** The device words shown to people (a passkey's default name, its notice, the approval prompt). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeDevice } from './user-agent.ts';

const CHROME_ON_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe('describeDevice', () => {
  it('names the browser and the system a person recognises', () => {
    const cases: [string, string][] = [
      [CHROME_ON_MAC, 'Chrome on macOS'],
      ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', 'Safari on iPhone'],
      ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0', 'Edge on Windows'],
      ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36', 'Chrome on Android'],
      ['Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox on Linux'],
      ['curl/8.5.0', 'A browser'],
    ];
    for (const [userAgent, name] of cases) assert.equal(describeDevice(userAgent), name, userAgent);
    assert.equal(describeDevice(undefined), 'A browser');
  });
});
