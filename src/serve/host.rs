//! Which `Host` and `Origin` headers the dev server answers.
//!
//! A page on any website can make the browser talk to `localhost`; DNS
//! rebinding lets it do so under its own name, so that the browser treats the
//! answers as same-origin and hands them to the attacker (Vite
//! CVE-2025-24010). Checking `Host` on every request refuses rebound names,
//! and checking `Origin` on the WebSocket upgrade refuses other sites'
//! scripts (browsers do not apply the same-origin policy to WebSockets).

use std::net::{IpAddr, SocketAddr};

/// The names a request may use for this server.
#[derive(Debug, Clone, Copy)]
pub(super) struct HostPolicy {
    addr: SocketAddr,
}

impl HostPolicy {
    /// The policy for a server listening on `addr`.
    pub(super) fn new(addr: SocketAddr) -> Self {
        Self { addr }
    }

    /// Whether a `Host` header value names this server: `localhost`,
    /// `127.0.0.1`, `[::1]` or the bound address — or, when bound to every
    /// interface (0.0.0.0 or ::, to preview on a phone), any IP literal —
    /// with no port or this server's port.
    pub(super) fn allows_host(&self, host: &str) -> bool {
        let Some((name, port)) = split_authority(host) else {
            return false;
        };
        let port_ok = port.is_none_or(|p| p == self.addr.port());
        port_ok && self.allows_name(name)
    }

    /// Whether an `Origin` header value is this server's own origin:
    /// `http://` and an allowed name with this server's port (which a
    /// browser leaves out only when it is 80).
    pub(super) fn allows_origin(&self, origin: &str) -> bool {
        let Some(authority) = origin.strip_prefix("http://") else {
            return false;
        };
        let Some((name, port)) = split_authority(authority) else {
            return false;
        };
        port.unwrap_or(80) == self.addr.port() && self.allows_name(name)
    }

    fn allows_name(&self, name: Name) -> bool {
        match name {
            Name::Localhost => true,
            Name::Ip(ip) => {
                ip.is_loopback() || ip == self.addr.ip() || self.addr.ip().is_unspecified()
            }
        }
    }
}

/// A host name we might accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Name {
    Localhost,
    Ip(IpAddr),
}

/// Splits `name[:port]` or `[v6][:port]`; `None` for anything that is not
/// `localhost` or an IP literal, or has a malformed port.
fn split_authority(authority: &str) -> Option<(Name, Option<u16>)> {
    let (name, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (v6, after) = rest.split_once(']')?;
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':')?),
        };
        (Name::Ip(IpAddr::V6(v6.parse().ok()?)), port)
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        let name = if host.eq_ignore_ascii_case("localhost") {
            Name::Localhost
        } else {
            Name::Ip(IpAddr::V4(host.parse().ok()?))
        };
        (name, port)
    };
    let port = match port {
        None => None,
        Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => Some(p.parse().ok()?),
        Some(_) => return None,
    };
    Some((name, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(addr: &str) -> HostPolicy {
        HostPolicy::new(addr.parse().unwrap())
    }

    #[test]
    fn can_accept_loopback_names() {
        let p = policy("127.0.0.1:4004");
        for host in [
            "localhost",
            "LocalHost:4004",
            "127.0.0.1",
            "127.0.0.1:4004",
            "[::1]",
            "[::1]:4004",
        ] {
            assert!(p.allows_host(host), "{host}");
        }
    }

    #[test]
    fn rejects_foreign_and_malformed_hosts() {
        let p = policy("127.0.0.1:4004");
        for host in [
            "evil.example",
            "evil.example:4004",
            "localhost.evil.example",
            "localhost.",
            "127.0.0.1.nip.io",
            "localhost:4005",
            "127.0.0.1:80",
            "localhost:",
            "localhost:+4004",
            "localhost:4004:4004",
            "[::1",
            "[::1]4004",
            "192.168.1.9:4004",
            "0x7f.1:4004",
            "",
        ] {
            assert!(!p.allows_host(host), "{host}");
        }
    }

    #[test]
    fn can_accept_any_ip_literal_when_bound_everywhere() {
        let p = policy("0.0.0.0:4004");
        assert!(p.allows_host("192.168.1.9:4004"));
        assert!(p.allows_host("[fe80::1]:4004"));
        assert!(!p.allows_host("192.168.1.9:4005"));
        assert!(!p.allows_host("phone.lan:4004"));
        let p = policy("[::]:4004");
        assert!(p.allows_host("10.0.0.2"));
    }

    #[test]
    fn can_accept_the_bound_address() {
        let p = policy("192.168.1.9:4004");
        assert!(p.allows_host("192.168.1.9:4004"));
        assert!(!p.allows_host("192.168.1.10:4004"));
    }

    #[test]
    fn accepts_only_our_own_origin() {
        let p = policy("127.0.0.1:4004");
        for origin in [
            "http://localhost:4004",
            "http://127.0.0.1:4004",
            "http://[::1]:4004",
        ] {
            assert!(p.allows_origin(origin), "{origin}");
        }
        for origin in [
            "https://evil.example",
            "http://evil.example:4004",
            "http://localhost",
            "http://localhost:4005",
            "https://localhost:4004",
            "http://localhost:4004/",
            "null",
            "",
        ] {
            assert!(!p.allows_origin(origin), "{origin}");
        }
        assert!(policy("127.0.0.1:80").allows_origin("http://localhost"));
    }
}
