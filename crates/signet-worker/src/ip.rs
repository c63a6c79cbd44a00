//! Which IP addresses a callback may reach. The core has the same rule for validating URLs at
//! registration (`usecase::validate::is_public_ip`, private to the core today); this copy
//! checks the addresses actually connected to, at delivery time.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// True only for globally routable unicast addresses. False for loopback, RFC 1918, link-local
/// (incl. 169.254.169.254), CGNAT 100.64/10, 0/8, multicast, broadcast and reserved 240/4,
/// documentation and benchmarking ranges, ULA fc00::/7, fe80::/10, site-local, `::`, `::1`,
/// IPv4-compatible/-mapped/-translated forms, NAT64 64:ff9b::/96 (and /48), 6to4 of a
/// non-public IPv4, and Teredo.
pub(crate) fn is_public_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let reserved = a == 0 // "this network" 0/8
        || a == 10
        || a == 127
        || a >= 224 // multicast 224/4, reserved 240/4, broadcast
        || (a == 100 && (64..128).contains(&b)) // CGNAT
        || (a == 169 && b == 254) // link-local, cloud metadata
        || (a == 172 && (16..32).contains(&b))
        || (a == 192 && b == 168)
        || (a == 192 && b == 0 && (c == 0 || c == 2)) // IETF assignments, TEST-NET-1
        || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || (a == 198 && b == 51 && c == 100) // TEST-NET-2
        || (a == 203 && b == 0 && c == 113); // TEST-NET-3
    !reserved
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let s = ip.segments();
    if s[..4] == [0, 0, 0, 0] {
        // ::, ::1, IPv4-compatible ::a.b.c.d, IPv4-translated ::ffff:0:a.b.c.d: never a target.
        return false;
    }
    if s[0] == 0x2002 {
        // 6to4 carries an IPv4 address in bits 16..48.
        let [a, b] = s[1].to_be_bytes();
        let [c, d] = s[2].to_be_bytes();
        return is_public_v4(Ipv4Addr::new(a, b, c, d));
    }
    let reserved = (s[0] == 0x64 && s[1] == 0xff9b) // NAT64, well-known and local-use
        || (s[0] & 0xff00) == 0xff00 // multicast
        || (s[0] & 0xfe00) == 0xfc00 // ULA (incl. fd00:ec2::254)
        || (s[0] & 0xffc0) == 0xfe80 // link-local
        || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || (s[0] == 0x2001 && s[1] == 0) // Teredo
        || (s[0] == 0x0100 && s[1..4] == [0, 0, 0]); // discard-only 100::/64
    !reserved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_reserved_and_mapped_addresses_are_not_public() {
        for text in [
            "127.0.0.1",
            "127.255.255.254",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "0.0.0.0",
            "0.1.2.3",
            "224.0.0.1",
            "239.255.255.250",
            "255.255.255.255",
            "240.0.0.1",
            "192.0.2.1",
            "198.18.0.1",
            "203.0.113.10",
            "::",
            "::1",
            "::127.0.0.1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::ffff:0:7f00:1",
            "fc00::1",
            "fd00:ec2::254",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "64:ff9b::7f00:1",
            "64:ff9b::808:808",
            "64:ff9b:1::1",
            "2002:7f00:1::1",
            "2002:a00:1::",
            "2001:db8::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "100::1",
        ] {
            let ip: IpAddr = text.parse().unwrap();
            assert!(!is_public_ip(ip), "{text} must not be public");
        }
    }

    #[test]
    fn globally_routable_addresses_are_public() {
        for text in [
            "8.8.8.8",
            "1.1.1.1",
            "93.184.216.34",
            "100.63.255.255",
            "100.128.0.1",
            "172.15.0.1",
            "172.32.0.1",
            "169.253.0.1",
            "192.0.1.1",
            "223.255.255.254",
            "::ffff:8.8.8.8",
            "2606:4700:4700::1111",
            "2001:4860:4860::8888",
            "2002:808:808::1",
        ] {
            let ip: IpAddr = text.parse().unwrap();
            assert!(is_public_ip(ip), "{text} must be public");
        }
    }
}
