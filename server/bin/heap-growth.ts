/**
 * How far V8 lets the heap grow past what its last full collection kept, in the `serve` process.
 *
 * After each full collection V8 sets the next one's limit at a factor of what survived (at least
 * 8 MB more, plus the young generation). It picks the factor from how fast the collector runs
 * against the program, up to 4 on a machine with gigabytes of memory, as here. Under load, the
 * objects of requests in flight (a body, a store change waiting for its fsync, a mail on its way
 * to the worker) live long enough to reach the old generation, and stay there as garbage until
 * that next collection. Traced with `--trace-gc` under `npm run bench -- --store json --users
 * 1000`: the main heap kept 30–39 MB after each full collection and grew to 125–135 MB before the
 * next one; the mail worker's kept 13–15 MB and grew to 55–62 MB.
 *
 * `--heap-growing-percent=30` replaces V8's choice with 1.3. The same benchmark peaked at
 * 182–188 MB instead of 266–296 MB, and at 100,000 users at 228–233 MB instead of 291 MB; the
 * Redis and PostgreSQL servers at 170–174 MB instead of 205–279 MB. Requests answered as many;
 * verifies at 100,000 users 2,870–3,805 a second in three runs, against 3,547 in the one run with
 * V8's choice. The full collections come more often. Ten minutes at 250 sign-ins a second
 * (`npm run bench:steady`) kept a p99 of 29–42 ms (grow) and 35–54 ms (steady) in every 30 s
 * window after the first, against 30–146 ms and 44–83 ms with V8's choice, and peaked at 331 and
 * 184 MB instead of 379 and 246 MB. (`--optimize-for-size`, tried before, made the collector run
 * all the time; this did not.) Near the heap's limit V8 would grow by less than 1.3; a server
 * that close to its limit is out of memory either way.
 *
 * V8 reads the flag at every full collection, so setting it once the process runs takes effect at
 * the next one. It is a flag of the process: the mail worker's isolate follows it too. It is set
 * only here, in the command that owns the process. A host app that embeds the backend keeps its
 * own settings. An operator who wants V8's own choice back starts the command with
 * `node --heap-growing-percent=0 …` (node refuses V8 options in NODE_OPTIONS); a value given that
 * way is left as it is.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 30;

const FLAG = /^--heap[-_]growing[-_]percent=(.*)$/;

/**
 * Sets the growth unless node's command line set it. Returns what is in effect, for the
 * `listening` entry: a number (0 is V8's own choice), or the command line's text if it is none.
 */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv, setFlags: (flags: string) => void = setFlagsFromString): number | string {
  // V8 takes the last of a flag given twice.
  const given = execArgv.findLast((arg) => FLAG.test(arg));
  if (given !== undefined) {
    const value = FLAG.exec(given)![1]!;
    return /^\d+$/.test(value) ? Number(value) : value;
  }
  setFlags(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return HEAP_GROWING_PERCENT;
}
