//! The client's address: the socket peer, or — only when that peer is a configured trusted
//! proxy — the first untrusted hop of `X-Forwarded-For` (or `Forwarded`), read from the right.
//!
//! [`client_ip`] is the one function that decides it. A middleware ([`attach`]) runs it once
//! per request and stores the answer as [`ClientAddr`]; the audit trail (through the `Client`
//! extractor) and the rate limiter both read that.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
pub use ipnet::IpNet;

/// The client's address as this server trusts it (a request extension).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// The proxies whose forwarding headers are believed (`SIGNET_TRUSTED_PROXIES`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Trusts these networks (single addresses are /32 or /128 networks).
    pub fn new(nets: Vec<IpNet>) -> Self {
        Self(nets)
    }

    /// Parses one entry: a CIDR (`10.0.0.0/8`, `fd00::/8`) or a single address.
    pub fn parse_entry(text: &str) -> Result<IpNet, String> {
        let text = text.trim();
        text.parse::<IpNet>()
            .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
            .map_err(|_| format!("{text:?} is neither an IP address nor a CIDR network"))
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }
}

/// Who the client is. Without a trusted peer the socket address is the answer and forwarding
/// headers are ignored, so a client cannot pick its own address. Behind trusted proxies the
/// forwarding chain is walked from the right (the entry the nearest proxy appended), skipping
/// trusted hops; the first untrusted address is the client. Entries further left were written
/// by the client and are never read; a malformed entry stops the walk at the last hop known.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &TrustedProxies) -> IpAddr {
    let mut client = peer.to_canonical();
    if !trusted.trusts(client) {
        return client;
    }
    for hop in forwarding_chain(headers).into_iter().rev() {
        let Some(ip) = hop else {
            return client;
        };
        client = ip;
        if !trusted.trusts(ip) {
            return ip;
        }
    }
    client
}

/// The hops of `X-Forwarded-For` (all its lines, in order) or, when there is none, the `for=`
/// parameters of `Forwarded` (RFC 7239); `None` marks a malformed entry.
fn forwarding_chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let xff: Vec<_> = headers.get_all("x-forwarded-for").iter().collect();
    if !xff.is_empty() {
        return xff
            .into_iter()
            .flat_map(|value| match value.to_str() {
                Ok(text) => text.split(',').map(parse_hop).collect(),
                Err(_) => vec![None],
            })
            .collect();
    }
    headers
        .get_all("forwarded")
        .iter()
        .flat_map(|value| match value.to_str() {
            Ok(text) => text.split(',').map(forwarded_for).collect(),
            Err(_) => vec![None],
        })
        .collect()
}

/// The `for=` address of one `Forwarded` element.
fn forwarded_for(element: &str) -> Option<IpAddr> {
    element.split(';').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("for")
            .then(|| parse_hop(value))?
    })
}

/// One hop: an address, optionally quoted, with an optional port (`1.2.3.4:80`,
/// `[2001:db8::1]:443`). Obfuscated identifiers and `unknown` are not addresses.
fn parse_hop(text: &str) -> Option<IpAddr> {
    let text = text.trim().trim_matches('"');
    let ip = if let Some(rest) = text.strip_prefix('[') {
        rest.split_once(']')?.0.parse().ok()?
    } else if let Ok(ip) = text.parse::<IpAddr>() {
        ip
    } else {
        let (host, port) = text.rsplit_once(':')?;
        port.parse::<u16>().ok()?;
        host.parse::<std::net::Ipv4Addr>().ok()?.into()
    };
    Some(IpAddr::to_canonical(&ip))
}

/// Middleware: stores the request's [`ClientAddr`] (absent only when the server was not
/// started with connection info, which `signet serve` always is).
pub async fn attach(
    State(trusted): State<Arc<TrustedProxies>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    if let Some(peer) = peer {
        let ip = client_ip(peer, request.headers(), &trusted);
        request.extensions_mut().insert(ClientAddr(ip));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests;
