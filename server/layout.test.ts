/**
 * The layout is the architecture (docs/architecture.md), and these rules keep it so: the rooms
 * of server/ depend on each other in one direction only (no cycle, so each can be read and
 * tested from the bottom up), the top files are entry points and the composition root that only
 * entries and test kits import, and the element and the server meet only in contract/.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from './testing/cli-process.ts';

/** Every non-test TypeScript file under `dir`, relative to the repository. */
function sources(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts'))
    .map((file) => join(dir, file));
}

/** The files each file imports (relative imports only), as repository paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(REPO_ROOT, file), 'utf8');
  return [...text.matchAll(/(?:from|import\(|^import)\s*['"](\.{1,2}\/[^'"]+)['"]/gm)].map((match) => relative(REPO_ROOT, resolve(REPO_ROOT, dirname(file), match[1]!)));
}

/** `server/login/verify-login.ts` → `login`; a top file → `(top)`. */
function roomOf(file: string): string {
  const parts = file.split('/');
  return parts.length > 2 ? parts[1]! : '(top)';
}

const serverFiles = sources('server');

describe('the layout', () => {
  it('has no cycle between the rooms of server/', () => {
    const edges = new Map<string, Set<string>>();
    for (const file of serverFiles) {
      for (const target of importsOf(file).filter((t) => t.startsWith('server/'))) {
        const [from, to] = [roomOf(file), roomOf(target)];
        if (from !== to && from !== '(top)' && to !== '(top)') edges.set(from, (edges.get(from) ?? new Set()).add(to));
      }
    }
    // Depth-first search; a room met again on the current path closes a cycle.
    const cycles = new Set<string>();
    const visit = (room: string, path: string[]) => {
      if (path.includes(room)) return void cycles.add([...path.slice(path.indexOf(room)), room].join(' → '));
      for (const next of edges.get(room) ?? []) visit(next, [...path, room]);
    };
    for (const room of edges.keys()) visit(room, []);
    assert.deepEqual([...cycles], []);
    assert.ok(edges.size >= 8, 'the rooms were found');
  });

  it('keeps the top of server/ for the entries and the composition root, imported only by entries and test kits', () => {
    const top = serverFiles.filter((file) => roomOf(file) === '(top)').map((file) => file.slice('server/'.length)).sort();
    assert.deepEqual(top, ['app.ts', 'backend.ts', 'config.ts', 'index.ts']);
    const importers = serverFiles.filter((file) => !['(top)', 'bin', 'library', 'testing'].includes(roomOf(file)) && importsOf(file).some((t) => roomOf(t) === '(top)' && t.startsWith('server/')));
    assert.deepEqual(importers, []);
  });

  it('puts every server test where `npm run test:server` finds it (its patterns reach three levels)', () => {
    const tests = readdirSync(join(REPO_ROOT, 'server'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.test.ts'));
    const script = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['test:server']!;
    assert.ok(script.includes('server/*.test.ts server/*/*.test.ts server/*/*/*.test.ts'), script);
    assert.deepEqual(tests.filter((file) => file.split('/').length > 3), []);
    assert.ok(tests.length >= 50, 'the tests were found');
  });

  it('lets the element and the server meet only in contract/', () => {
    const crossing = [
      ...sources('widget').filter((file) => !file.startsWith('widget/testing/')).flatMap((file) => importsOf(file).filter((t) => t.startsWith('server/')).map((t) => `${file} → ${t}`)),
      ...serverFiles.flatMap((file) => importsOf(file).filter((t) => t.startsWith('widget/')).map((t) => `${file} → ${t}`)),
      ...sources('contract').flatMap((file) => importsOf(file).filter((t) => !t.startsWith('contract/')).map((t) => `${file} → ${t}`)),
    ];
    assert.deepEqual(crossing, []);
  });
});
