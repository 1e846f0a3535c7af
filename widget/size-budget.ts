/**
 * `npm run size`: the compressed size of every build of the element, and the budget that fails
 * the build when the script-tag file grows past it. 12 KB gzip (12,000 bytes, gzip -9), Lit and
 * English included: a quarter of Hanko's element (46.5 KB), a tenth of Supabase's Auth UI.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const DIST = 'dist';
const BUDGET = { file: 'dist/passwordless-login.js', gzipBytes: 12_000 };

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.js') ? [path] : [];
  });
}

const rows = filesUnder(DIST)
  .filter((file) => !file.includes(`${DIST}/demo/`))
  .sort()
  .map((file) => {
    const bytes = readFileSync(file);
    return {
      file: relative('.', file),
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
if (rows.length === 0) {
  process.stderr.write('No build found: run `npm run build` first.\n');
  process.exit(1);
}

const width = Math.max(...rows.map((r) => r.file.length));
const pad = (value: string | number, n: number) => String(value).padStart(n);
process.stdout.write(`${'file'.padEnd(width)}  ${pad('raw', 8)}  ${pad('gzip', 8)}  ${pad('brotli', 8)}\n`);
for (const r of rows) process.stdout.write(`${r.file.padEnd(width)}  ${pad(r.raw, 8)}  ${pad(r.gzip, 8)}  ${pad(r.brotli, 8)}\n`);

const main = rows.find((r) => r.file === BUDGET.file);
if (!main) {
  process.stderr.write(`${BUDGET.file} is missing: run \`npm run build\`.\n`);
  process.exit(1);
}
const verdict = main.gzip <= BUDGET.gzipBytes ? 'within' : 'OVER';
process.stdout.write(`\n${BUDGET.file}: ${main.gzip} B gzip, ${verdict} the budget of ${BUDGET.gzipBytes} B (${BUDGET.gzipBytes - main.gzip} B to spare)\n`);
if (verdict === 'OVER') process.exit(1);
