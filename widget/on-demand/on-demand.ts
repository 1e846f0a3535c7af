/**
 * The modules the element fetches when it first needs them, instead of carrying them in the
 * script-tag file: the languages other than English (`locales`) and the feature modules
 * (`features`). Each entry point says how to fetch one: by URL beside the script (index.ts: the
 * same origin as the script, so a Content-Security-Policy that lets the script in lets them in),
 * or by `import()` a bundler follows (module.ts).
 *
 * Each module is fetched once per page. One that fails (offline, a deploy half done) is not
 * remembered: the next use tries again.
 */
import type { Locale } from '../../contract/index.ts';
import type { Features } from '../features/registry.ts';
import type { Messages } from '../i18n/messages.ts';

/** What each folder holds, by name: its modules' default exports. */
export interface OnDemandModules {
  locales: Record<Exclude<Locale, 'en'>, Messages>;
  features: Features;
}

export type Folder = keyof OnDemandModules;

/** Fetches `<folder>/<name>`; resolves to the module (its default export is used). */
export type ModuleLoader = <F extends Folder>(folder: F, name: keyof OnDemandModules[F] & string) => Promise<{ default: unknown }>;

let loader: ModuleLoader | null = null;
const modules = new Map<string, Promise<unknown>>();

export function setModuleLoader(load: ModuleLoader): void {
  loader = load;
}

export function loadModule<F extends Folder, N extends keyof OnDemandModules[F] & string>(folder: F, name: N): Promise<OnDemandModules[F][N]> {
  const key = `${folder}/${name}`;
  let module = modules.get(key);
  if (!module) {
    module = (async () => (await loader!(folder, name)).default)();
    modules.set(key, module);
    module.catch(() => modules.delete(key));
  }
  return module as Promise<OnDemandModules[F][N]>;
}
