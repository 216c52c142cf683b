import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

// IPv6 forms that carry an IPv4 address (::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d) are judged by
// that address: they reach it.
const embedsIPv4 = new Set(['ipv4Mapped', 'rfc6052']);

/**
 * True for anything but public unicast space (IPv4 or IPv6): loopback, private, CGNAT,
 * link-local, unique local, multicast, documentation, benchmarking and reserved blocks are
 * nothing a public results feed lives on. Text that is not an address is refused too.
 */
export const isPrivateAddress = (ip: string): boolean => {
  // node's check first: ipaddr.js also accepts legacy forms such as "0x7f.1" that DNS never returns.
  if (!isIP(ip)) return true;
  let address = ipaddr.parse(ip);
  if (address.kind() === 'ipv6' && embedsIPv4.has(address.range())) {
    const bytes = address.toByteArray().slice(-4);
    address = new ipaddr.IPv4(bytes);
  }
  return address.range() !== 'unicast';
};
