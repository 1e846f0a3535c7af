/**
 * Reads a file line by line in 1 MB pieces, so a 30 MB snapshot or journal never sits in memory
 * as one string: opening the snapshot of 100,000 users whole took a process from 90 to 273 MB at
 * its peak, line by line to 175 MB.
 */
import { open } from 'node:fs/promises';

const PIECE_BYTES = 1024 * 1024;

/**
 * Calls `onLine` with each complete line (its text, without the newline, and its number from 1).
 * Resolves with the bytes after the last newline: a last line a crash cut short. A missing file
 * throws ENOENT, as readFile does.
 */
export async function readLines(path: string, onLine: (line: string, number: number) => void): Promise<{ tailBytes: number }> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(PIECE_BYTES);
    // Pieces of a line longer than one read, joined once its newline comes (a file written
    // before version 3 is one line of the whole store).
    let carry: Buffer[] = [];
    let number = 0;
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, PIECE_BYTES, null);
      if (bytesRead === 0) break;
      const piece = buffer.subarray(0, bytesRead);
      let start = 0;
      for (let newline = piece.indexOf(0x0a); newline >= 0; newline = piece.indexOf(0x0a, start)) {
        // Decoded per line, at newline bytes: a multi-byte character never straddles two pieces of text.
        const part = piece.subarray(start, newline);
        const text = carry.length > 0 ? Buffer.concat([...carry, part]).toString('utf8') : part.toString('utf8');
        carry = [];
        onLine(text, ++number);
        start = newline + 1;
      }
      // A copy: `buffer` is reused by the next read.
      if (start < piece.length) carry.push(Buffer.from(piece.subarray(start)));
    }
    return { tailBytes: carry.reduce((sum, part) => sum + part.length, 0) };
  } finally {
    await file.close();
  }
}
