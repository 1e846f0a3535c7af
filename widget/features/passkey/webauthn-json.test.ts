import { expect } from '@open-wc/testing';
import { creationOptions, fromBase64url, requestOptions, toBase64url } from './webauthn-json.ts';

// The base64url fallback for browsers without WebAuthn's JSON helpers, byte for byte. The
// ceremonies themselves run without the helpers in passkey.test.ts.

const bytes = (buffer: ArrayBuffer | BufferSource) => [...new Uint8Array(buffer as ArrayBuffer)];

describe('the WebAuthn JSON fallback', () => {
  it('turns base64url into bytes and back, the URL-safe characters and no padding included', () => {
    // 0xfb 0xff 0xbf: "+/+/" in base64, "-_-_" in base64url; 1 and 2 leftover bytes need no "=".
    for (const [text, expected] of [['-_-_', [0xfb, 0xff, 0xbf]], ['AQ', [1]], ['AQI', [1, 2]], ['', []]] as const) {
      expect(bytes(fromBase64url(text)), text).to.deep.equal(expected);
      expect(toBase64url(new Uint8Array(expected))).to.equal(text);
    }
    // A view into a larger buffer converts only its own bytes.
    expect(toBase64url(new Uint8Array([9, 1, 2, 9]).subarray(1, 3))).to.equal('AQI');
  });

  it('converts the byte fields of both ceremonies\' options when the browser cannot', () => {
    const statics = PublicKeyCredential as unknown as Record<string, unknown>;
    const saved = { c: statics.parseCreationOptionsFromJSON, r: statics.parseRequestOptionsFromJSON };
    delete statics.parseCreationOptionsFromJSON;
    delete statics.parseRequestOptionsFromJSON;
    try {
      const creation = creationOptions({
        challenge: 'AQI',
        rp: { id: 'localhost', name: 'Test' },
        user: { id: '-_-_', name: 'a@example.com', displayName: 'a@example.com' },
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
        excludeCredentials: [{ id: 'AQ', type: 'public-key' }],
      });
      expect(bytes(creation.challenge)).to.deep.equal([1, 2]);
      expect(bytes(creation.user.id)).to.deep.equal([0xfb, 0xff, 0xbf]);
      expect(creation.user.name).to.equal('a@example.com');
      expect(bytes(creation.excludeCredentials![0]!.id)).to.deep.equal([1]);
      const request = requestOptions({ challenge: '-_-_', rpId: 'localhost', userVerification: 'required' });
      expect(bytes(request.challenge)).to.deep.equal([0xfb, 0xff, 0xbf]);
      expect(request.allowCredentials).to.equal(undefined);
      expect(request.userVerification).to.equal('required');
    } finally {
      Object.assign(statics, { parseCreationOptionsFromJSON: saved.c, parseRequestOptionsFromJSON: saved.r });
    }
  });
});
