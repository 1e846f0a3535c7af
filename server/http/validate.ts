import type { z } from 'zod';
import { ApiError } from '../../contract/index.ts';
import { LoginError } from '../login/login-error.ts';
import { nestsDeeperThan } from './json-depth.ts';

const MAX_BODY_DEPTH = 8;

/** Parses `input` with `schema` or throws a 400 naming each wrong field. */
export function parseBody<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw LoginError.of(ApiError.notAnObject);
  }
  // No valid request nests deeper than userData's 4 levels under the body (6 in all): refuse a
  // body deeper than 8 before the (recursive) schema walks it; shallower ones get field errors.
  if (nestsDeeperThan(input, MAX_BODY_DEPTH)) {
    throw LoginError.of(ApiError.tooDeep(MAX_BODY_DEPTH));
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  // An address that is a string but fails the email policy has its own code; a missing or
  // mistyped field, or an unknown one, is an `invalid_request`.
  let badAddress = false;
  for (const issue of result.error.issues) {
    if (issue.code === 'custom' && issue.path.join('.') === 'email') badAddress = true;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[key] = 'is not a known field';
    } else {
      fields[issue.path.join('.') || '(body)'] ??= issue.message;
    }
  }
  if (badAddress) throw LoginError.of(ApiError.invalidEmail, { fields });
  const first = Object.keys(fields)[0] ?? '';
  throw LoginError.of(ApiError.invalidField(first, fields[first]!), { fields });
}
