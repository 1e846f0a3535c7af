/**
 * The package as npm installs it in a host project: `npm pack` of this repository, extracted as
 * real files into `<host>/node_modules/passwordless-login`, beside links to the repository's
 * copies of its runtime dependencies only (`npm ls --omit=dev`), and its `bin` linked into
 * `node_modules/.bin` as npm does. Code that reaches a devDependency, or a file the package does
 * not ship, fails there as it would for a user.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { ensureCompiledCli, REPO_ROOT } from './cli-process.ts';

const run = promisify(execFile);

export interface PackedPackage {
  /** What the tarball holds, as npm lists it (`dist/server/index.js`, `README.md`…). */
  files: string[];
  /** `<host>/node_modules/passwordless-login`. */
  dir: string;
  /** `<host>/node_modules/.bin/passwordless-login`. */
  bin: string;
}

export async function installPackedPackage(host: string): Promise<PackedPackage> {
  // A stale dist/ would be packed as it is: build it first when a source is newer.
  ensureCompiledCli();
  const packDir = await mkdtemp(join(tmpdir(), 'passwordless-pack-'));
  try {
    const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], { cwd: REPO_ROOT });
    const [{ filename, files }] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
    const modules = join(host, 'node_modules');
    await mkdir(join(modules, '.bin'), { recursive: true });
    await run('tar', ['-xzf', join(packDir, filename), '-C', modules]);
    const dir = join(modules, 'passwordless-login');
    await rename(join(modules, 'package'), dir);
    for (const dependency of await runtimeDependencies()) {
      await mkdir(dirname(join(modules, dependency)), { recursive: true });
      await symlink(join(REPO_ROOT, 'node_modules', dependency), join(modules, dependency), 'dir');
    }
    const bin = join(modules, '.bin', 'passwordless-login');
    await symlink(join('..', 'passwordless-login', 'dist', 'server', 'bin', 'passwordless-login.js'), bin);
    return { files: files.map((file) => file.path), dir, bin };
  } finally {
    await rm(packDir, { recursive: true, force: true });
  }
}

/** The top-level folders of node_modules (`koa`, `@koa/router`) that the package's runtime needs, its dependencies' included. */
async function runtimeDependencies(): Promise<string[]> {
  // `npm ls` exits non-zero for a harmless oddity (an extraneous package) but still lists the tree.
  const { stdout } = await run('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 }).catch((error: { stdout: string }) => error);
  const root = join(REPO_ROOT, 'node_modules') + sep;
  const names = stdout
    .split('\n')
    .filter((path) => path.startsWith(root))
    .map((path) => relative(root, path).split(sep))
    // Nested copies (node_modules/a/node_modules/b) come with their parent's folder.
    .filter((parts) => !parts.includes('node_modules'))
    .map((parts) => parts.join('/'));
  return [...new Set(names)];
}
