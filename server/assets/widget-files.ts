/**
 * The built element as the backend serves it: the script-tag file, and the modules it fetches
 * on demand from beside itself (`passwordless-login/<folder>/<name>.js`: the languages, the
 * feature modules). Read once at start; a deploy restarts the server.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { packagePath } from './package-files.ts';

/** From the package root, not from this file: the sources and the compiled server sit at different depths. */
export const DEFAULT_WIDGET_FILE = packagePath('dist/passwordless-login.js');

/** The folders beside the script whose modules are served, each with its route label for the metrics. */
export const WIDGET_MODULE_FOLDERS = {
  locales: '/passwordless-login/locales/:tag.js',
  features: '/passwordless-login/features/:name.js',
} as const;
export type WidgetModuleFolder = keyof typeof WIDGET_MODULE_FOLDERS;

export interface WidgetFiles {
  /** The script-tag file (Lit and English inside), or null when it has not been built. */
  script: string | null;
  /** The on-demand modules by folder, then by name without `.js` (`locales` → `zh-CN` → its JS). */
  modules: ReadonlyMap<WidgetModuleFolder, ReadonlyMap<string, string>>;
}

export async function readWidgetFiles(widgetFile: string = DEFAULT_WIDGET_FILE): Promise<WidgetFiles> {
  const beside = join(dirname(widgetFile), 'passwordless-login');
  const folders = Object.keys(WIDGET_MODULE_FOLDERS) as WidgetModuleFolder[];
  const modules = new Map(await Promise.all(folders.map(async (folder) => [folder, await readModules(join(beside, folder))] as const)));
  return { script: await readOptional(widgetFile), modules };
}

/** The built modules of one folder, by name; empty when none were built. */
async function readModules(dir: string): Promise<Map<string, string>> {
  const files = await readdir(dir).catch(() => [] as string[]);
  const modules = files.filter((file) => file.endsWith('.js'));
  return new Map(await Promise.all(modules.map(async (file) => [basename(file, '.js'), await readFile(join(dir, file), 'utf8')] as const)));
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}
