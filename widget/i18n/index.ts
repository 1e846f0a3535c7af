/** Choosing a language and turning errors into sentences. */
import { LOCALES, type Locale } from '../../contract/index.ts';
import type { FlowError } from '../flow/flow.ts';
import type { Messages } from './messages.ts';

export type { Messages };

/**
 * Maps a BCP 47 tag to a shipped locale, or null. Chinese goes by script: Traditional for
 * `Hant` and the regions that write it (TW, HK, MO), Simplified otherwise; other languages by
 * their primary subtag (`pt-BR` → `pt`).
 */
export function matchLocale(tag: string | null | undefined): Locale | null {
  const parts = tag?.trim().toLowerCase().split(/[-_]/) ?? [];
  const primary = parts[0];
  if (!primary) return null;
  if (primary === 'zh') {
    const traditional = parts.some((p) => /^(hant|tw|hk|mo)$/.test(p));
    const chinese = (traditional ? 'zh-TW' : 'zh-CN') as Locale;
    return LOCALES.includes(chinese) ? chinese : null;
  }
  return LOCALES.find((locale) => locale === primary) ?? null;
}

export function errorMessage(messages: Messages, error: FlowError): string {
  if (error.hint) return error.hint;
  if (error.code === 'network_error') return messages.networkError;
  const entry = messages.errors[error.code] ?? messages.errors.internal_error;
  return typeof entry === 'function' ? entry(error) : entry;
}
