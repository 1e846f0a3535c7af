import { useState } from 'react';
import type { MessageOverrides } from '../../../widget/module.ts';

/** Set as a property (an object cannot be an attribute): React 19 does that for custom elements. */
export const strings: MessageOverrides = {
  title: 'Sign in to the React demo',
  sendCode: 'Send my React code',
};

/**
 * React 19 binds custom elements natively: a prop the element has (`strings`, `lang`) is set as a
 * property, and `on` + the exact event name (`onpasswordless-success`) adds an event listener.
 */
export function App() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [signedIn, setSignedIn] = useState<string | null>(null);
  return (
    <main>
      <h1>React 19 embed</h1>
      <passwordless-login
        lang="en"
        strings={strings}
        onpasswordless-code-sent={(event) => setSentTo(event.detail.email)}
        onpasswordless-success={(event) => setSignedIn(event.detail.user.email)}
      />
      <p className="framework-status" role="status" data-testid="framework-status">
        {signedIn
          ? `React received passwordless-success for ${signedIn}`
          : sentTo
            ? `React received passwordless-code-sent for ${sentTo}`
            : 'React is waiting for the element.'}
      </p>
    </main>
  );
}
