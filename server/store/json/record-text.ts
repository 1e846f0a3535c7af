/**
 * The compact text a record is held as in memory (store-data.ts): its values in a fixed order as
 * a JSON array, without the field names, and with `null` for a field that repeats the record's key
 * (a user's `email` and `emailKey` are mostly its key, a session's `tokenHash` always is). A user
 * of 230 characters as an object is about 110 as an array. The files keep the full objects: this
 * is never written.
 *
 * A record with a field missing, a field not in its list, or `null` where the key could stand is
 * held as its plain JSON object instead, so every record reads back exactly as it was stored. The
 * one exception is a shape's optional last field (a session's `method`, absent on sessions stored
 * before passkeys; a sequence's `approval`; a login state's `approvalsPausedAt`; a user's `blockedAt`): when it is missing the array is one value shorter, so those stay compact too.
 *
 * The text is copied once at its exact size: JSON.stringify's result keeps the spare room of the
 * buffer it was built in (100,000 strings of 229 characters took 40 MB, their copies 26 MB).
 */
import type { LoginState, PasskeyRecord, SessionRecord, UserRecord } from '../types.ts';

interface Shape {
  fields: readonly string[];
  /** String fields replaced by `null` when they equal the record's key. */
  keyed: ReadonlySet<string>;
  /** Fields holding a list of records of another shape. */
  lists: Readonly<Record<string, Shape>>;
  /** The last field may be absent: the array then ends before it. */
  optionalLast: boolean;
}

const shape = (fields: readonly string[], keyed: string[] = [], lists: Record<string, Shape> = {}, optionalLast = false): Shape => ({ fields, keyed: new Set(keyed), lists, optionalLast });

// `approval` is optional (only a request that asked for one has it): without it the array ends before it.
const SEQUENCE = shape(['id', 'codeHash', 'tokenHash', 'createdAt', 'expiresAt', 'usedAt', 'burntAt', 'locale', 'userData', 'approval'], [], {}, true);
// `blockedAt` is optional (only users an operator blocked or unblocked have it).
export const USER = shape(['id', 'email', 'emailKey', 'emailVerified', 'createdAt', 'lastLoginAt', 'data', 'blockedAt'], ['email', 'emailKey'], {}, true);
// `approvalsPausedAt` is optional (only after a wrong number on a phone).
export const LOGIN = shape(['emailKey', 'address', 'sequences', 'attempts', 'lastRequestAt', 'requestTimes', 'lastFailureAt', 'approvalsPausedAt'], ['emailKey', 'address'], { sequences: SEQUENCE }, true);
export const SESSION = shape(['tokenHash', 'userId', 'createdAt', 'expiresAt', 'method'], ['tokenHash'], {}, true);
/** A passkey's public key (about 100 characters of base64url) is most of it; its `id` is its key. */
export const PASSKEY = shape(['id', 'userId', 'publicKey', 'counter', 'transports', 'backedUp', 'name', 'createdAt', 'lastUsedAt'], ['id']);

export type RecordShape = typeof USER;

/** The record as held in memory under `key`. */
export function pack(kind: RecordShape, key: string, record: UserRecord | LoginState | SessionRecord | PasskeyRecord | object): string {
  const values = packed(kind, key, record as Record<string, unknown>);
  return exactCopy(JSON.stringify(values ?? record));
}

/** The record back from its text (a fresh copy, the caller may change it). */
export function unpack<T>(kind: RecordShape, key: string, text: string): T {
  const value = JSON.parse(text) as unknown;
  return (Array.isArray(value) ? unpacked(kind, key, value) : value) as T;
}

function packed(kind: Shape, key: string, record: Record<string, unknown>): unknown[] | null {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return null;
  let known = 0;
  const values: unknown[] = [];
  for (const [index, field] of kind.fields.entries()) {
    if (!Object.hasOwn(record, field) || record[field] === undefined) {
      if (kind.optionalLast && index === kind.fields.length - 1 && !Object.hasOwn(record, field)) break;
      return null;
    }
    known += 1;
    let value = record[field];
    const list = kind.lists[field];
    if (kind.keyed.has(field)) {
      if (value === null) return null;
      if (value === key) value = null;
    } else if (list) {
      if (!Array.isArray(value)) return null;
      const items: unknown[] = [];
      for (const item of value) {
        const itemValues = packed(list, key, item as Record<string, unknown>);
        if (!itemValues) return null;
        items.push(itemValues);
      }
      value = items;
    }
    values.push(value);
  }
  return Object.keys(record).length === known ? values : null;
}

function unpacked(kind: Shape, key: string, values: unknown[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  kind.fields.forEach((field, index) => {
    if (index >= values.length) return;
    const value = values[index];
    const list = kind.lists[field];
    if (kind.keyed.has(field)) record[field] = value === null ? key : value;
    else if (list) record[field] = (value as unknown[][]).map((item) => unpacked(list, key, item));
    else record[field] = value;
  });
  return record;
}

function exactCopy(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}
