/** Element-scoped string catalogs and the choice between them. */
import { Locale } from '../../server/contract.ts';
import type { FlowError } from '../flow.ts';
import { en } from './en.ts';
import type { Messages } from './messages.ts';
import { zhCN } from './zh-CN.ts';

export type { Messages };

const catalogs: Record<Locale, Messages> = { [Locale.en]: en, [Locale.zhCN]: zhCN };

/** Maps a BCP 47 tag to a shipped locale: any Chinese tag to zh-CN (the only Chinese catalog), else null. */
export function matchLocale(tag: string | null | undefined): Locale | null {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
  if (!primary) return null;
  if (primary === 'zh') return Locale.zhCN;
  if (primary === 'en') return Locale.en;
  return null;
}

export function messagesFor(locale: Locale): Messages {
  return catalogs[locale];
}

export function errorMessage(messages: Messages, error: FlowError): string {
  if (error.code === 'network_error') return messages.networkError;
  const entry = messages.errors[error.code] ?? messages.errors.internal_error;
  return typeof entry === 'function' ? entry(error) : entry;
}
