/**
 * The PostgreSQL store's statements for the audit trail and the daily counts (migration 4), apart
 * from sql.ts's so each file keeps one job. Values travel as parameters, never in the text.
 */
import type { QueryConfig } from 'pg';
import type { AuditRecord } from '../types.ts';

type Statement = Pick<QueryConfig, 'name' | 'text'>;

export type AuditStatements = ReturnType<typeof auditStatementsFor>;

const AUDIT_COLUMNS = 'at, event, user_id, method, action, actor, client_key';

/** One row of `audit` as read back. */
export interface AuditRow {
  at: Date;
  event: string;
  user_id: string | null;
  method: string | null;
  action: string | null;
  actor: string | null;
  client_key: string | null;
}

export function toAuditRecord(row: AuditRow): AuditRecord {
  return {
    at: row.at.getTime(),
    event: row.event,
    ...(row.user_id !== null ? { userId: row.user_id } : {}),
    ...(row.method !== null ? { method: row.method } : {}),
    ...(row.action !== null ? { action: row.action } : {}),
    ...(row.actor !== null ? { by: row.actor } : {}),
    ...(row.client_key !== null ? { clientKey: row.client_key } : {}),
  };
}

/** The columns of many records as seven arrays, for one INSERT … SELECT FROM unnest(…). */
export function auditColumns(records: AuditRecord[]): unknown[] {
  return [
    records.map((r) => new Date(r.at)),
    records.map((r) => r.event),
    records.map((r) => r.userId ?? null),
    records.map((r) => r.method ?? null),
    records.map((r) => r.action ?? null),
    records.map((r) => r.by ?? null),
    records.map((r) => r.clientKey ?? null),
  ];
}

/** `s` is the quoted schema. */
export function auditStatementsFor(s: string) {
  const statement = (name: string, text: string): Statement => ({ name: `pl-${name}`, text });
  return {
    /** $1…$7 the columns as arrays: every record of a batch in one statement. */
    appendAudit: statement(
      'append-audit',
      `INSERT INTO ${s}.audit (${AUDIT_COLUMNS})
       SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`,
    ),
    /** $1 before, $2 how many: a backward scan of audit_at (at, id). The serial id settles a tie (the later appended first). */
    listAudit: statement('list-audit', `SELECT ${AUDIT_COLUMNS} FROM ${s}.audit WHERE at < $1 ORDER BY at DESC, id DESC LIMIT $2`),
    /** $1 user id, $2 before, $3 how many: a backward scan of audit_user_id_at (user_id, at, id), never everyone's entries. */
    listUserAudit: statement('list-user-audit', `SELECT ${AUDIT_COLUMNS} FROM ${s}.audit WHERE user_id = $1 AND at < $2 ORDER BY at DESC, id DESC LIMIT $3`),
    /** $1 before, $2 batch size: one batch of the sweep, as sql.ts's sweeps. */
    sweepAudit: statement(
      'sweep-audit',
      `DELETE FROM ${s}.audit WHERE id IN (SELECT id FROM ${s}.audit WHERE at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    ),
    /** $1 the first day kept, $2 batch size. */
    sweepDailyCounts: statement(
      'sweep-daily-counts',
      `DELETE FROM ${s}.daily_counts WHERE (day, key) IN (SELECT day, key FROM ${s}.daily_counts WHERE day < $1::date LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    ),
    /**
     * $1 day, $2 counter names, $3 amounts. One statement: a counter seen for the first time is
     * inserted, one that exists is incremented under its row lock, so two instances adding at once
     * both count.
     */
    addDailyCounts: statement(
      'add-daily-counts',
      `INSERT INTO ${s}.daily_counts AS d (day, key, count)
       SELECT $1::date, c.key, c.amount FROM unnest($2::text[], $3::bigint[]) AS c (key, amount)
       ON CONFLICT (day, key) DO UPDATE SET count = d.count + EXCLUDED.count`,
    ),
    /** $1 first day, $2 last day (both included). */
    listDailyCounts: statement(
      'list-daily-counts',
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, key, count::float8 AS count FROM ${s}.daily_counts WHERE day BETWEEN $1::date AND $2::date`,
    ),
    /** $1 now: the sessions_expires_at index (migration 1). */
    countSessions: statement('count-sessions', `SELECT count(*)::int AS n FROM ${s}.sessions WHERE expires_at > $1`),
  };
}
