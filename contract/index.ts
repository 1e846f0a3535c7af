/**
 * The HTTP contract between the `<passwordless-login>` element and the backend.
 *
 * Both sides import this folder, so a renamed field or a new error code breaks the type check
 * on both at once instead of drifting apart. It holds types and constants only: no runtime
 * dependencies, so importing it adds a few hundred bytes to the widget bundle.
 */
export * from './paths.ts';
export * from './locales.ts';
export * from './errors.ts';
export type * from './bodies.ts';
