//! The one reading of a URL that crmauth and curl agree on.
//!
//! crmauth decides where a credential may go by parsing a URL with the `url`
//! crate (WHATWG rules); curl parses the same text with its own rules. Where
//! the two could disagree on the scheme, host or port — a backslash (`url`
//! reads it as `/`, curl as part of a user name), a user name at all, a
//! trailing dot (DNS, not loopback), percent-encoded or shortened IP hosts,
//! curl's `[1-2]`/`{a,b}` globs, a missing scheme (curl guesses one) — the URL
//! is refused instead of guessed at. What passes is handed on in the `url`
//! crate's normalised form, so what was checked is what is used.

use url::{Host, Url};

use crate::error::UsageError;

/// Whether curl would expand `[...]` and `{...}` in the URL (it does unless
/// `-g`/`--globoff` is given).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Globbing {
    On,
    Off,
}

/// Parses `text` as an absolute `http`/`https` URL, refusing every form that
/// curl might read with another scheme, host or port.
pub fn parse_strict(text: &str, globbing: Globbing) -> Result<Url, UsageError> {
    let refuse = |why: &str| {
        UsageError::new(format!("refusing the URL {}: {why}", shown(text)))
            .with_hint("write it as scheme://host[:port]/path, e.g. https://crm.example.com/api")
    };
    if text.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(refuse("it contains a space or a control character"));
    }
    if text.contains('\\') {
        return Err(refuse(
            "it contains a backslash, which curl and crmauth read differently",
        ));
    }
    let Some((scheme, rest)) = text.split_once("://") else {
        return Err(refuse("it has no http:// or https:// scheme"));
    };
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(refuse(&format!(
            "unsupported scheme '{scheme}': only http:// and https:// are allowed"
        )));
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, after) = rest.split_at(authority_end);
    if authority.contains('@') {
        return Err(refuse("it contains a user name or password"));
    }
    if globbing == Globbing::On && after.contains(['[', ']', '{', '}']) {
        return Err(refuse(
            "curl would expand its [...] or {...} as a pattern (pass -g to curl to turn that off)",
        ));
    }
    let (host, port) =
        split_authority(authority).ok_or_else(|| refuse("its host or port is not plain"))?;
    if host.is_empty() {
        return Err(refuse("it has no host"));
    }
    if host.ends_with('.') {
        return Err(refuse("its host ends with a dot"));
    }
    let url = Url::parse(text).map_err(|err| refuse(&err.to_string()))?;
    // The host as written must be the host as parsed: no percent-encoding,
    // no shortened or hexadecimal IPv4 forms, no international names that
    // another parser might map differently.
    let plain = match url.host() {
        // IPv6 has one standard reading (RFC 4291), in whichever spelling.
        Some(Host::Ipv6(ip)) => {
            host.strip_prefix('[')
                .and_then(|host| host.strip_suffix(']'))
                .and_then(|inner| inner.parse::<std::net::Ipv6Addr>().ok())
                == Some(ip)
        }
        _ => url.host_str() == Some(host.to_ascii_lowercase().as_str()),
    };
    if !plain {
        return Err(refuse("its host is not written in plain form"));
    }
    if let Some(port) = port {
        let number = port.parse::<u16>().ok();
        if number.is_none() || number != url.port_or_known_default() {
            return Err(refuse("its port is not a plain number"));
        }
    }
    Ok(url)
}

/// `host[:port]` or `[v6]:port`, each part of the characters a host name or
/// port may have; `None` for anything else.
fn split_authority(authority: &str) -> Option<(&str, Option<&str>)> {
    let (host, port) = if authority.starts_with('[') {
        let end = authority.find(']')? + 1;
        let (host, rest) = authority.split_at(end);
        let inner = &host[1..host.len() - 1];
        if !inner
            .chars()
            .all(|c| c.is_ascii_hexdigit() || matches!(c, ':' | '.'))
        {
            return None;
        }
        match rest {
            "" => (host, None),
            _ => (host, Some(rest.strip_prefix(':')?)),
        }
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        if !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        {
            return None;
        }
        (host, port)
    };
    if port.is_some_and(|port| port.is_empty() || !port.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    Some((host, port))
}

/// The URL for a message: without query and fragment (they may hold
/// secrets), and without a user name or password.
pub fn shown(text: &str) -> String {
    let cut = text.find(['?', '#']).unwrap_or(text.len());
    let text = &text[..cut];
    let after_scheme = text.find("://").map_or(0, |at| at + 3);
    let authority_end = text[after_scheme..]
        .find('/')
        .map_or(text.len(), |at| after_scheme + at);
    match text[after_scheme..authority_end].rfind('@') {
        Some(at) => format!(
            "'{}***@{}'",
            &text[..after_scheme],
            &text[after_scheme + at + 1..]
        ),
        None => format!("'{text}'"),
    }
}

/// `localhost`, 127.0.0.0/8 or `[::1]`: traffic that never leaves the machine.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Scheme, host and port: where a credential is bound to.
pub fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host() == b.host()
        && a.port_or_known_default() == b.port_or_known_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> String {
        parse_strict(text, Globbing::On)
            .map(|url| url.to_string())
            .unwrap_or_else(|err| panic!("{text}: {}", err.message))
    }

    fn refused(text: &str) -> bool {
        parse_strict(text, Globbing::On).is_err()
    }

    #[test]
    fn plain_urls_pass_normalised() {
        assert_eq!(ok("http://127.0.0.1:9/base/"), "http://127.0.0.1:9/base/");
        assert_eq!(
            ok("HTTPS://CRM.Example.com:443/a/../b?q=1"),
            "https://crm.example.com/b?q=1"
        );
        assert_eq!(ok("http://[::1]:8080/x"), "http://[::1]:8080/x");
        assert_eq!(
            ok("http://[::ffff:127.0.0.1]:80/"),
            "http://[::ffff:7f00:1]/"
        );
        assert_eq!(ok("https://h"), "https://h/");
    }

    #[test]
    fn what_curl_may_read_differently_is_refused() {
        for text in [
            "http://127.0.0.1\\@127.0.0.2:80/",
            "http://127.0.0.1:9\\@127.0.0.2/",
            "http://u@127.0.0.1/",
            "http://a@b@127.0.0.1/",
            "http://@127.0.0.1/",
            "http://localhost./",
            "http://127.0.0.1./",
            "http://127.1/",
            "http://0x7f000001/",
            "http://%31%32%37.0.0.1/",
            "http://h/[1-2]",
            "http://h/{a,b}",
            "http://{h,g}/",
            "rtsp://127.0.0.1/",
            "ftp://h/",
            "127.0.0.2/x",
            "//h/x",
            "http://h:/x",
            "http://h:+80/x",
            "http://h:99999/x",
            "http://h /x",
            "http://bücher.example/",
            "http://[::1/",
        ] {
            assert!(refused(text), "{text}");
        }
        assert!(parse_strict("http://h/[1-2]", Globbing::Off).is_ok());
    }

    #[test]
    fn messages_hide_query_fragment_and_user_info() {
        assert_eq!(shown("https://h/p?token=s3cret#x"), "'https://h/p'");
        assert_eq!(shown("https://bob:hunter2@h/p"), "'https://***@h/p'");
        let err = parse_strict("https://bob:hunter2@h/p?k=v", Globbing::On).unwrap_err();
        assert!(!err.message.contains("hunter2") && !err.message.contains("k=v"));
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        let url = |text| Url::parse(text).unwrap();
        assert!(same_origin(&url("https://h/a"), &url("https://h:443/b")));
        assert!(!same_origin(&url("https://h/a"), &url("http://h/a")));
        assert!(!same_origin(
            &url("http://127.0.0.1:9/"),
            &url("http://127.0.0.2:9/")
        ));
        assert!(!same_origin(
            &url("http://127.0.0.1:9/"),
            &url("http://127.0.0.1:10/")
        ));
    }
}
