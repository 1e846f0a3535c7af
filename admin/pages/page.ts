/** What every page of the console gets: the API, a way to announce, and the signed-in admin. */
import type { ApiClient } from '../api.ts';

export interface PageContext {
  api: ApiClient;
  /** Says `message` in the status line (a polite live region) once the page has settled. */
  announce(message: string): void;
  /** The signed-in admin's user id: their own page offers no block or delete. */
  adminId: string;
}
