/**
 * The doctor's lines: one per check, a mark, then what was found and, when something is wrong,
 * the fix. ✓ fine, ! worth knowing (nothing failed, or it could not be checked), ✗ failed: the
 * doctor exits 1 when any line is ✗.
 */
export type Mark = 'ok' | 'warn' | 'fail';

export interface CheckLine {
  mark: Mark;
  text: string;
}

const SYMBOLS: Record<Mark, string> = { ok: '✓', warn: '!', fail: '✗' };

export const ok = (text: string): CheckLine => ({ mark: 'ok', text });
export const warn = (text: string): CheckLine => ({ mark: 'warn', text });
export const fail = (text: string): CheckLine => ({ mark: 'fail', text });

export function formatLine(line: CheckLine): string {
  return `${SYMBOLS[line.mark]} ${line.text}`;
}

export function anyFailed(lines: readonly CheckLine[]): boolean {
  return lines.some((line) => line.mark === 'fail');
}
