use std::net::IpAddr;

use axum::http::{HeaderMap, HeaderValue};

use super::{TrustedProxies, client_ip};

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

fn trusted(entries: &[&str]) -> TrustedProxies {
    TrustedProxies::new(
        entries
            .iter()
            .map(|e| TrustedProxies::parse_entry(e).unwrap())
            .collect(),
    )
}

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(*name, HeaderValue::from_str(value).unwrap());
    }
    map
}

#[test]
fn without_trusted_proxies_forwarding_headers_are_ignored() {
    let h = headers(&[
        ("x-forwarded-for", "203.0.113.9"),
        ("forwarded", "for=198.51.100.1"),
    ]);
    let none = TrustedProxies::default();
    assert_eq!(client_ip(ip("127.0.0.1"), &h, &none), ip("127.0.0.1"));
}

#[test]
fn an_untrusted_peer_is_the_client_even_when_others_are_trusted() {
    let h = headers(&[("x-forwarded-for", "203.0.113.9")]);
    let proxies = trusted(&["10.0.0.0/8"]);
    assert_eq!(client_ip(ip("192.0.2.7"), &h, &proxies), ip("192.0.2.7"));
}

#[test]
fn spoofed_leftmost_entries_are_ignored() {
    // The client sent "1.1.1.1, 2.2.2.2"; the proxy appended what it saw (192.0.2.7).
    let h = headers(&[("x-forwarded-for", "1.1.1.1, 2.2.2.2, 192.0.2.7")]);
    let proxies = trusted(&["10.0.0.1"]);
    assert_eq!(client_ip(ip("10.0.0.1"), &h, &proxies), ip("192.0.2.7"));
}

#[test]
fn trusted_hops_are_skipped_from_the_right_across_header_lines() {
    let h = headers(&[
        ("x-forwarded-for", "6.6.6.6, 192.0.2.7"),
        ("x-forwarded-for", "10.1.2.3"),
    ]);
    let proxies = trusted(&["10.0.0.0/8", "127.0.0.1"]);
    assert_eq!(client_ip(ip("127.0.0.1"), &h, &proxies), ip("192.0.2.7"));
}

#[test]
fn a_malformed_entry_stops_the_walk_at_the_last_known_hop() {
    let proxies = trusted(&["10.0.0.0/8"]);
    let garbage_on_the_left = headers(&[("x-forwarded-for", "not-an-ip, 192.0.2.7")]);
    assert_eq!(
        client_ip(ip("10.0.0.1"), &garbage_on_the_left, &proxies),
        ip("192.0.2.7")
    );
    let garbage_on_the_right = headers(&[("x-forwarded-for", "192.0.2.7, 10.9.9.9, bogus")]);
    assert_eq!(
        client_ip(ip("10.0.0.1"), &garbage_on_the_right, &proxies),
        ip("10.0.0.1")
    );
    let behind_a_second_proxy = headers(&[("x-forwarded-for", "192.0.2.7, unknown, 10.9.9.9")]);
    assert_eq!(
        client_ip(ip("10.0.0.1"), &behind_a_second_proxy, &proxies),
        ip("10.9.9.9")
    );
}

#[test]
fn when_every_hop_is_trusted_the_farthest_one_is_the_client() {
    let h = headers(&[("x-forwarded-for", "10.0.0.5, 10.0.0.6")]);
    let proxies = trusted(&["10.0.0.0/8"]);
    assert_eq!(client_ip(ip("10.0.0.1"), &h, &proxies), ip("10.0.0.5"));
}

#[test]
fn entries_with_ports_and_ipv6_brackets_are_read() {
    let proxies = trusted(&["10.0.0.1"]);
    let with_port = headers(&[("x-forwarded-for", "192.0.2.7:4711")]);
    assert_eq!(
        client_ip(ip("10.0.0.1"), &with_port, &proxies),
        ip("192.0.2.7")
    );
    let v6 = headers(&[("x-forwarded-for", "[2001:db8::1]:443")]);
    assert_eq!(client_ip(ip("10.0.0.1"), &v6, &proxies), ip("2001:db8::1"));
}

#[test]
fn forwarded_is_read_when_there_is_no_x_forwarded_for() {
    let h = headers(&[(
        "forwarded",
        "for=1.1.1.1, for=\"[2001:db8:cafe::17]:4711\";proto=https;by=10.0.0.1",
    )]);
    let proxies = trusted(&["10.0.0.0/8"]);
    assert_eq!(
        client_ip(ip("10.0.0.1"), &h, &proxies),
        ip("2001:db8:cafe::17")
    );
    let obfuscated = headers(&[("forwarded", "for=192.0.2.7, for=_hidden")]);
    assert_eq!(
        client_ip(ip("10.0.0.1"), &obfuscated, &proxies),
        ip("10.0.0.1")
    );
}

#[test]
fn ipv4_mapped_peers_are_matched_as_ipv4() {
    let h = headers(&[("x-forwarded-for", "192.0.2.7")]);
    let proxies = trusted(&["127.0.0.1"]);
    assert_eq!(
        client_ip(ip("::ffff:127.0.0.1"), &h, &proxies),
        ip("192.0.2.7")
    );
}

#[test]
fn without_a_forwarding_header_the_trusted_peer_is_the_client() {
    let proxies = trusted(&["127.0.0.1"]);
    assert_eq!(
        client_ip(ip("127.0.0.1"), &HeaderMap::new(), &proxies),
        ip("127.0.0.1")
    );
}

#[test]
fn proxy_entries_parse_as_networks_or_addresses() {
    assert!(TrustedProxies::parse_entry("10.0.0.0/8").is_ok());
    assert!(TrustedProxies::parse_entry(" 127.0.0.1 ").is_ok());
    assert!(TrustedProxies::parse_entry("fd00::/8").is_ok());
    assert!(TrustedProxies::parse_entry("10.0.0.0/33").is_err());
    assert!(TrustedProxies::parse_entry("proxy.local").is_err());
}
