/**
 * What `PasswordlessClient`'s passkey methods fetch at their first call (client/passwordless-client.ts):
 * the ceremonies and the routes, without the element's parts and sentences.
 */
export { addPasskey, signInWithPasskey } from './ceremonies.ts';
export { listPasskeys, removePasskey, renamePasskey } from './passkey-calls.ts';
