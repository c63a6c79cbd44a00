//! The DNS side of SSRF protection: names are resolved here, every address is vetted, and
//! reqwest connects to exactly the vetted addresses (no second lookup, so no rebinding window).

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::ip::is_public_ip;

/// Looks a host name up. The seam lets tests map names to addresses without a DNS server.
pub(crate) trait Lookup: Send + Sync + 'static {
    /// All addresses of `host`.
    fn lookup(
        &self,
        host: String,
    ) -> Pin<Box<dyn Future<Output = std::io::Result<Vec<IpAddr>>> + Send>>;
}

/// The operating system's resolver (getaddrinfo, /etc/hosts included).
pub(crate) struct SystemLookup;

impl Lookup for SystemLookup {
    fn lookup(
        &self,
        host: String,
    ) -> Pin<Box<dyn Future<Output = std::io::Result<Vec<IpAddr>>> + Send>> {
        Box::pin(async move {
            let addrs = tokio::net::lookup_host((host.as_str(), 0)).await?;
            Ok(addrs.map(|a| a.ip()).collect())
        })
    }
}

/// The target resolves to an address callbacks must not reach.
#[derive(Debug, thiserror::Error)]
#[error("{host} resolves to the non-public address {ip}")]
pub(crate) struct RefusedAddress {
    pub(crate) host: String,
    pub(crate) ip: IpAddr,
}

/// A reqwest resolver that fails the whole request if any address is non-public.
pub(crate) struct VettingResolver {
    pub(crate) lookup: Arc<dyn Lookup>,
    pub(crate) allow_private: bool,
}

impl Resolve for VettingResolver {
    fn resolve(&self, name: Name) -> Resolving {
        // `name.` is the same name, fully qualified; some resolvers only know the short form.
        let host = name
            .as_str()
            .strip_suffix('.')
            .unwrap_or(name.as_str())
            .to_string();
        let lookup = Arc::clone(&self.lookup);
        let allow_private = self.allow_private;
        Box::pin(async move {
            let ips = lookup.lookup(host.clone()).await?;
            let vetted = vet(&host, ips, allow_private)?;
            let addrs: Addrs = Box::new(vetted.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

/// The addresses to connect to, or why none may be used. No address at all fails closed.
pub(crate) fn vet(
    host: &str,
    ips: Vec<IpAddr>,
    allow_private: bool,
) -> Result<Vec<IpAddr>, Box<dyn std::error::Error + Send + Sync>> {
    if ips.is_empty() {
        return Err(format!("{host} has no addresses").into());
    }
    if !allow_private && let Some(ip) = ips.iter().copied().find(|ip| !is_public_ip(*ip)) {
        return Err(Box::new(RefusedAddress {
            host: host.to_string(),
            ip,
        }));
    }
    Ok(ips)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ips(list: &[&str]) -> Vec<IpAddr> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    #[test]
    fn one_private_address_among_public_ones_refuses_the_name() {
        let err = vet("mixed.test", ips(&["93.184.216.34", "127.0.0.1"]), false).unwrap_err();
        assert!(err.downcast_ref::<RefusedAddress>().is_some(), "{err}");
        assert!(vet("mixed.test", ips(&["93.184.216.34", "2606:4700::1"]), false).is_ok());
        assert!(vet("mixed.test", ips(&["127.0.0.1"]), true).is_ok());
        assert!(vet("none.test", Vec::new(), true).is_err());
    }
}
