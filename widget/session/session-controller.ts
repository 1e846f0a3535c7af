/**
 * The element's side of session keeping: its {@link SessionKeeper}, made when the element starts
 * (the API base is known then), and the `storage` listener that hears the other tabs while the
 * element is in the page.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ApiClient } from '../api/api-client.ts';
import { SessionKeeper } from './session-keeper.ts';
import type { StoredSession } from './stored-session.ts';

export class SessionController implements ReactiveController {
  /** Undefined until {@link start}. */
  keeper?: SessionKeeper;
  readonly #now: () => number;
  readonly #onChange: (before: StoredSession | null) => void;

  /** `now` for the stored entry's expiry; `onChange` as {@link SessionKeeper.onChange}. */
  constructor(host: ReactiveControllerHost, now: () => number, onChange: (before: StoredSession | null) => void) {
    this.#now = now;
    this.#onChange = onChange;
    host.addController(this);
  }

  /** Reads the session kept for the API at `base`. */
  start(base: string): SessionKeeper {
    const keeper = (this.keeper = new SessionKeeper(new ApiClient(base), this.#now));
    keeper.onChange = this.#onChange;
    return keeper;
  }

  hostConnected(): void {
    addEventListener('storage', this.#onStorage);
  }

  hostDisconnected(): void {
    removeEventListener('storage', this.#onStorage);
  }

  readonly #onStorage = ({ key }: StorageEvent): void => this.keeper?.otherTabWrote(key);
}
