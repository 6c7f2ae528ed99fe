import { lookup as dnsLookup } from 'node:dns';
import net from 'node:net';

/**
 * SSRF guard of outbound webhooks (api.md, "Outbound webhooks"). A webhook URL must be
 * `https://`, or `http://` to a loopback address when WEBHOOK_ALLOW_LOOPBACK=true; every
 * address its host resolves to must be public: not private (RFC 1918, fc00::/7), loopback,
 * link-local (169.254/16, fe80::/10, which holds the cloud metadata service 169.254.169.254),
 * unspecified, CGNAT, multicast, reserved or a documentation range. The check runs at creation
 * and again at every delivery, where the connection then goes to the very address that was
 * checked (`guardedLookup`), so a name that re-binds to 127.0.0.1 between check and connect
 * (DNS rebinding) is still refused.
 */

export type AddressClass = 'public' | 'loopback' | 'private' | 'link_local' | 'metadata' | 'reserved';

/** Resolves a host name to every address (node's dns.lookup with `all: true`, or a test's stand-in). */
export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

export const systemResolver: Resolver = (host) =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

const blocks = new net.BlockList();
const classes: [AddressClass, string, number, 'ipv4' | 'ipv6'][] = [
  ['metadata', '169.254.169.254', 32, 'ipv4'],
  ['metadata', 'fd00:ec2::254', 128, 'ipv6'],
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['loopback', '::1', 128, 'ipv6'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['private', '100.64.0.0', 10, 'ipv4'],
  ['private', 'fc00::', 7, 'ipv6'],
  ['link_local', '169.254.0.0', 16, 'ipv4'],
  ['link_local', 'fe80::', 10, 'ipv6'],
  ['reserved', '0.0.0.0', 8, 'ipv4'],
  ['reserved', '192.0.0.0', 24, 'ipv4'],
  ['reserved', '192.0.2.0', 24, 'ipv4'],
  ['reserved', '198.18.0.0', 15, 'ipv4'],
  ['reserved', '198.51.100.0', 24, 'ipv4'],
  ['reserved', '203.0.113.0', 24, 'ipv4'],
  ['reserved', '224.0.0.0', 3, 'ipv4'],
  ['reserved', '::', 128, 'ipv6'],
  ['reserved', 'ff00::', 8, 'ipv6'],
  ['reserved', '2001:db8::', 32, 'ipv6'],
];
const lists = new Map<AddressClass, net.BlockList>();
for (const [cls, network, prefix, type] of classes) {
  const list = lists.get(cls) ?? new net.BlockList();
  list.addSubnet(network, prefix, type);
  lists.set(cls, list);
  blocks.addSubnet(network, prefix, type);
}

/** The class of one IP address (an IPv4-mapped IPv6 address is judged as its IPv4 address). */
export function classifyAddress(address: string): AddressClass {
  let ip = address.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) ip = mapped[1]!;
  const type = net.isIPv4(ip) ? 'ipv4' : net.isIPv6(ip) ? 'ipv6' : undefined;
  if (!type) return 'reserved';
  if (type === 'ipv6' && /^::ffff:/i.test(ip)) return 'reserved'; // a mapped form we did not parse
  if (!blocks.check(ip, type)) return 'public';
  for (const [cls, list] of lists) if (list.check(ip, type)) return cls;
  return 'reserved';
}

export interface UrlPolicy {
  /** WEBHOOK_ALLOW_LOOPBACK: http:// (and https://) to loopback addresses are allowed */
  allowLoopback: boolean;
  resolver?: Resolver;
}

export type UrlVerdict = { ok: true; url: URL; addresses: string[] } | { ok: false; reason: string };

/** May an address be connected to under this policy? */
export function addressAllowed(address: string, policy: Pick<UrlPolicy, 'allowLoopback'>): boolean {
  const cls = classifyAddress(address);
  return cls === 'public' || (cls === 'loopback' && policy.allowLoopback);
}

/** The URL's shape only (no DNS): scheme, credentials, host. */
export function checkUrlShape(raw: string, policy: Pick<UrlPolicy, 'allowLoopback'>): { ok: true; url: URL } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'only https:// URLs are allowed' };
  if (url.username || url.password) return { ok: false, reason: 'a URL with credentials is not allowed' };
  if (!url.hostname) return { ok: false, reason: 'the URL has no host' };
  if (url.protocol === 'http:' && !policy.allowLoopback) return { ok: false, reason: 'only https:// URLs are allowed' };
  return { ok: true, url };
}

/**
 * Every address the URL's host resolves to, if all of them are allowed. `http://` needs every
 * address to be loopback (and WEBHOOK_ALLOW_LOOPBACK).
 */
export async function checkWebhookUrl(raw: string, policy: UrlPolicy): Promise<UrlVerdict> {
  const shape = checkUrlShape(raw, policy);
  if (!shape.ok) return shape;
  const { url } = shape;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (net.isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await (policy.resolver ?? systemResolver)(host)).map((a) => a.address);
    } catch {
      return { ok: false, reason: 'the host does not resolve' };
    }
    if (addresses.length === 0) return { ok: false, reason: 'the host does not resolve' };
  }
  for (const a of addresses) {
    const cls = classifyAddress(a);
    if (!addressAllowed(a, policy)) return { ok: false, reason: `the host resolves to a ${cls.replace('_', '-')} address` };
    if (url.protocol === 'http:' && cls !== 'loopback') return { ok: false, reason: 'http:// is allowed to loopback addresses only' };
  }
  return { ok: true, url, addresses };
}

/**
 * A `lookup` for http.request that answers the addresses already checked, never resolving
 * again: the connection goes where the check looked (a name that re-binds in between is
 * not asked twice).
 */
export function pinnedLookup(addresses: readonly string[]): net.LookupFunction {
  const all = addresses.map((address) => ({ address, family: net.isIPv6(address) ? 6 : 4 }));
  return ((_hostname: string, options: { all?: boolean }, callback: (err: Error | null, address: string | { address: string; family: number }[], family?: number) => void) => {
    if (options?.all) callback(null, all);
    else callback(null, all[0]!.address, all[0]!.family);
  }) as unknown as net.LookupFunction;
}

export class ForbiddenAddress extends Error {
  override name = 'ForbiddenAddress';
  constructor(readonly addressClass: AddressClass) {
    super(`the host resolves to a ${addressClass.replace('_', '-')} address`);
  }
}
