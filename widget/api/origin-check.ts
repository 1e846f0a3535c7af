/**
 * Why a call got no answer. A browser tells the page nothing when CORS refuses a call ("failed to
 * fetch", as for a lost connection), so after a `network_error` the element asks `GET /origin`:
 * a plain GET without credentials, which needs no preflight, answered to any origin. If the
 * server says this page's origin is refused, the error becomes `forbidden_origin` (the site's
 * owner must act, not the visitor), with the server's sentence for the operator outside production.
 */
import { ApiPath, type OriginResponse } from '../../contract/index.ts';
import type { FlowError } from '../flow/flow.ts';

export async function explainUnreachable(base: string, error: FlowError): Promise<FlowError> {
  if (error.code === 'network_error') {
    try {
      const answer = (await (await fetch(base + ApiPath.origin, { credentials: 'omit' })).json()) as OriginResponse;
      if (answer.allowed === false) return { code: 'forbidden_origin', hint: answer.message };
    } catch {
      // Unreachable indeed: the network sentence stands.
    }
  }
  return error;
}
