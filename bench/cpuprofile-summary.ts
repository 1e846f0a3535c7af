/**
 * Where a server child's time went: self time by function and by package from a .cpuprofile
 * (written by `npm run bench -- --profile` into bench/profiles/).
 *
 *   node --import tsx bench/cpuprofile-summary.ts bench/profiles/json-100000.cpuprofile [--top 25] [--window request|drain|verify]
 *
 * --window keeps the samples of one phase, by the boundaries the benchmark wrote beside the
 * profile (<name>.marks.json; both use the monotonic clock): the request load, the mail drain
 * after it, or the verify load.
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const file = process.argv[2];
if (!file) throw new Error('usage: cpuprofile-summary.ts <file.cpuprofile> [--top N]');
const topIndex = process.argv.indexOf('--top');
const TOP = topIndex > 0 ? Number(process.argv[topIndex + 1]) : 25;
const windowIndex = process.argv.indexOf('--window');
const WINDOW = windowIndex > 0 ? process.argv[windowIndex + 1] : undefined;
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
let from = -Infinity;
let to = Infinity;
if (WINDOW) {
  const marks = JSON.parse(readFileSync(file.replace(/\.cpuprofile$/, '.marks.json'), 'utf8')) as Record<string, number>;
  const bounds: Record<string, [string, string]> = { request: ['request', 'drain'], drain: ['drain', 'drain-end'], verify: ['verify', 'verify-end'] };
  const [a, b] = bounds[WINDOW] ?? (() => { throw new Error(`--window: request, drain or verify`); })();
  from = marks[a]!;
  to = marks[b]!;
}
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const selfUs = new Map<number, number>();
let at = profile.startTime;
profile.samples.forEach((id, i) => {
  at += profile.timeDeltas[i] ?? 0;
  if (at >= from && at < to) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

function where(url: string): string {
  if (!url) return '(native)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return url;
  const local = /\/work\/[^/]+\/(.*)$/.exec(url.replace('file://', ''));
  return local ? local[1]! : url;
}

const fn = new Map<string, number>();
const pkg = new Map<string, number>();
/** Time under a frame of ours (server/…): inclusive, by the nearest project frame on the stack. */
const ours = new Map<string, number>();
/** Time by owner: the nearest frame on the stack that is a package or project file (node internals and natives count for their caller). */
const owner = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id)!;
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || '(anonymous)'} ${where(url)}:${lineNumber + 1}`;
  fn.set(key, (fn.get(key) ?? 0) + us);
  const p = where(url).startsWith('server/') ? 'server/ (project)' : where(url).split(':')[0]!.startsWith('(') ? functionName || '(native)' : where(url).split('/')[0]!;
  pkg.set(p, (pkg.get(p) ?? 0) + us);
  let owned = ['(idle)', '(garbage collector)', '(program)'].includes(functionName) ? functionName : '(no package frame)';
  for (let up: number | undefined = id; up !== undefined && owned === '(no package frame)'; up = parent.get(up)) {
    const w = where(byId.get(up)!.callFrame.url);
    if (w.startsWith('server/')) owned = w.split(':')[0]!;
    else if (!w.startsWith('node:') && !w.startsWith('(')) owned = w.split('/')[0]!;
  }
  owner.set(owned, (owner.get(owned) ?? 0) + us);
  for (let up: number | undefined = id; up !== undefined; up = parent.get(up)) {
    const frame = byId.get(up)!.callFrame;
    const w = where(frame.url);
    if (w.startsWith('server/')) {
      const k = `${frame.functionName || '(anonymous)'} ${w}`;
      ours.set(k, (ours.get(k) ?? 0) + us);
      break;
    }
  }
}

const show = (title: string, map: Map<string, number>, n: number) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`  ${((us / total) * 100).toFixed(1).padStart(5)} %  ${(us / 1e6).toFixed(2).padStart(7)} s  ${k}`);
};
console.log(`${file}${WINDOW ? ` (${WINDOW} phase)` : ''}: ${(total / 1e6).toFixed(1)} s sampled`);
show('by owner: nearest package or project file on the stack (node internals and natives go to their caller)', owner, 20);
show('self time by package / native bucket', pkg, 15);
show('self time by function', fn, TOP);
show('time attributed to the nearest project frame (server/…) on the stack', ours, 15);
