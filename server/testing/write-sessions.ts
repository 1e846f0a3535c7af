/**
 * A child process for the journal tests: opens the JSON store at argv[2], creates argv[3]
 * sessions in one group-committed batch, prints the token hashes whose writes were
 * acknowledged as JSON, and exits. Run under `ulimit -f` to make the disk "fill up" mid-batch.
 */
import { openJsonStore } from '../store/json/json-store.ts';

const [file, count] = [process.argv[2]!, Number(process.argv[3])];
const store = await openJsonStore(file, { compactAfterBytes: 1_000_000_000 });
const hashes = Array.from({ length: count }, (_, i) => `session-${i}-${'x'.repeat(60)}`);
const outcomes = await Promise.allSettled(hashes.map((tokenHash) => store.createSession({ tokenHash, userId: 'u', createdAt: 1, expiresAt: 9e15 })));
process.stdout.write(JSON.stringify(hashes.filter((_, i) => outcomes[i]!.status === 'fulfilled')));
await store.close().catch(() => {});
