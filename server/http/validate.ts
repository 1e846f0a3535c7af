import type { z } from 'zod';
import { ErrorCode } from '../contract.ts';
import { LoginError } from '../errors.ts';

/** Fields whose failure has its own error code; any other field is an `invalid_request`. */
const FIELD_CODES: Record<string, ErrorCode> = {
  email: ErrorCode.invalid_email,
  redirectTo: ErrorCode.invalid_redirect,
};

/** Parses `input` with `schema` or throws a 400 naming each wrong field. */
export function parseBody<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new LoginError(400, ErrorCode.invalid_request, 'The body must be a JSON object.');
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[key] = 'is not a known field';
    } else {
      fields[issue.path.join('.') || '(body)'] ??= issue.message;
    }
  }
  const first = Object.keys(fields)[0] ?? '';
  const code = FIELD_CODES[first] ?? ErrorCode.invalid_request;
  const message = code === ErrorCode.invalid_email ? 'That does not look like an email address.' : `Invalid request: ${first} ${fields[first]}.`;
  throw new LoginError(400, code, message, { fields });
}
