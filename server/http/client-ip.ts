import { isIPv6 } from 'node:net';
import type { Context } from 'koa';

/**
 * The key a client is limited by: its IP as Koa sees it (the socket, or X-Forwarded-For only
 * when the app trusts that many proxies: `app.proxy` and `app.maxIpsCount`, set from TRUST_PROXY),
 * with IPv6 addresses cut to their /64, because one host or home usually holds a whole /64 and
 * could otherwise rotate through 2^64 addresses.
 */
export function clientKey(ctx: Context): string {
  const ip = ctx.ip.startsWith('::ffff:') ? ctx.ip.slice(7) : ctx.ip;
  return isIPv6(ip) ? `${ipv6Prefix64(ip)}::/64` : ip;
}

function ipv6Prefix64(ip: string): string {
  const [head = '', tail = ''] = ip.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return groups
    .slice(0, 4)
    .map((g) => parseInt(g || '0', 16).toString(16))
    .join(':');
}
