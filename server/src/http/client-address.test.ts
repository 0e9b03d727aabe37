import { describe, expect, it } from 'vitest';
import { addressKey } from './client-address';

describe('the address the limits count', () => {
  it.each([
    ['an IPv4 address as it is', '203.0.113.7', '203.0.113.7'],
    ['an IPv4 address mapped into IPv6 as IPv4', '::ffff:203.0.113.7', '203.0.113.7'],
    ['IPv6 by its /64', '2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['a shortened IPv6 address by its /64', '2001:db8::1', '2001:db8:0:0::/64'],
    ['an IPv6 address with leading zeros and a zone', '2001:0db8:0001:0002::1%eth0', '2001:db8:1:2::/64'],
    ['loopback IPv6', '::1', '0:0:0:0::/64'],
    ['something that is not an address as it is', 'unknown', 'unknown'],
  ])('counts %s', (_what, ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });

  it('counts two addresses of one /64 as one, and two /64s apart', () => {
    expect(addressKey('2001:db8:1:2::a')).toBe(addressKey('2001:db8:1:2:ffff::b'));
    expect(addressKey('2001:db8:1:2::a')).not.toBe(addressKey('2001:db8:1:3::a'));
  });
});
