/** Browser-side helpers for Chromium's virtual authenticator (widget/testing/virtual-authenticator.mjs). */
import { executeServerCommand } from '@web/test-runner-commands';

const command = <T>(action: string, payload: object = {}) => executeServerCommand<T, object>('virtual-authenticator', { action, ...payload });

/** A platform authenticator that verifies the user: this browser can make and use passkeys. */
export const addAuthenticator = () => command<{ authenticatorId: string }>('add');

/** No authenticator: this browser has no platform authenticator. */
export const removeAuthenticator = () => command('remove');

/** Whether the next user verification succeeds; false ends the prompt in NotAllowedError, as a cancel does. */
export const setUserVerified = (verified: boolean) => command('user-verified', { verified });

/** The credentials the authenticator holds. */
export const authenticatorCredentials = () => command<Array<{ credentialId: string; rpId: string; isResidentCredential: boolean }>>('credentials');
