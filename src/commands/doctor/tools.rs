//! Checks of the programs and settings crmauth works with: curl, proxies.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::check::Check;
use crate::commands::curl::find_curl;
use crate::http::PROXY_VARS;
use crate::profile::ProfilesFile;
use crate::urls;

/// `-H @file` (how `crmauth curl` hands curl the header) came in curl 7.55.0.
const MIN_CURL: (u32, u32) = (7, 55);

pub fn curl() -> Check {
    const NAME: &str = "curl";
    let path = match find_curl() {
        Ok(path) => path,
        Err(err) => {
            return Check::fail(
                NAME,
                err.to_string(),
                "install curl ('sudo apt-get install curl'), or set CRMAUTH_CURL to its path",
            );
        }
    };
    let shown = path.display();
    let Some(first_line) = version_line(&path) else {
        return Check::fail(
            NAME,
            format!("{shown} --version did not answer"),
            "install a working curl, or set CRMAUTH_CURL to one",
        );
    };
    match parse_version(&first_line) {
        Some(version) if version >= MIN_CURL => Check::pass(
            NAME,
            format!(
                "{shown}: {}",
                first_line
                    .split_whitespace()
                    .take(2)
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        ),
        Some(version) => Check::fail(
            NAME,
            format!(
                "{shown} is curl {}.{}; 'crmauth curl' needs {}.{} or later",
                version.0, version.1, MIN_CURL.0, MIN_CURL.1
            ),
            "install a newer curl, or set CRMAUTH_CURL to one",
        ),
        None => Check::fail(
            NAME,
            format!("{shown} --version printed no curl version"),
            "set CRMAUTH_CURL to a real curl",
        ),
    }
}

/// The first line `curl --version` prints, waiting at most 5 s.
fn version_line(path: &std::path::Path) -> Option<String> {
    let mut child = Command::new(path)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() < Duration::from_secs(5) => {
                std::thread::sleep(Duration::from_millis(20));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
    let mut text = String::new();
    child.stdout.take()?.read_to_string(&mut text).ok()?;
    text.lines().next().map(str::to_string)
}

/// `curl 8.5.0 (x86_64-pc-linux-gnu) ...` -> (8, 5).
fn parse_version(line: &str) -> Option<(u32, u32)> {
    let mut words = line.split_whitespace();
    if words.next()? != "curl" {
        return None;
    }
    let mut numbers = words.next()?.split(['.', '-']);
    let major = numbers.next()?.parse().ok()?;
    let minor = numbers.next()?.parse().ok()?;
    Some((major, minor))
}

/// Which proxy applies, and to which profile. Proxy URLs may carry a
/// password: only scheme, host and port are shown.
pub fn proxies(profiles: Option<&ProfilesFile>) -> Check {
    const NAME: &str = "proxy";
    let set: Vec<&str> = PROXY_VARS
        .iter()
        .copied()
        .filter(|name| std::env::var_os(name).is_some_and(|value| !value.is_empty()))
        .collect();
    let Some(first) = set.first() else {
        return Check::pass(NAME, "no proxy variables set: connections are direct");
    };
    let Some(proxy) = ureq::Proxy::try_from_env() else {
        return Check::fail(
            NAME,
            format!("{first} is set but is not a proxy URL"),
            format!("set {first} to http://HOST:PORT, or unset it"),
        );
    };
    let mut detail = format!(
        "{first} = {}://{}{}:{}",
        format!("{:?}", proxy.protocol()).to_lowercase(),
        if proxy.username().is_some() {
            "[redacted]@"
        } else {
            ""
        },
        proxy.host(),
        proxy.port()
    );
    if let Some(no_proxy) = ["NO_PROXY", "no_proxy"]
        .iter()
        .find_map(|name| std::env::var(name).ok().map(|value| (name, value)))
    {
        detail.push_str(&format!(", {} = {}", no_proxy.0, no_proxy.1));
    }
    for (name, profile) in profiles.map(|file| &file.profiles).into_iter().flatten() {
        // The same test crmauth's own requests make (http.rs).
        let loopback = url::Url::parse(&profile.url).is_ok_and(|url| urls::is_loopback(&url));
        let route = match profile.url.parse::<ureq::http::Uri>() {
            Ok(_) if loopback => "direct (loopback)",
            Ok(uri) if proxy.is_no_proxy(&uri) => "direct (NO_PROXY)",
            Ok(_) => "through the proxy",
            Err(_) => "unknown (URL does not parse)",
        };
        detail.push_str(&format!("; {name}: {route}"));
    }
    Check::pass(NAME, detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curl_versions_parse() {
        assert_eq!(
            parse_version("curl 8.5.0 (x86_64-pc-linux-gnu) libcurl/8.5.0"),
            Some((8, 5))
        );
        assert_eq!(parse_version("curl 7.55.1 (x)"), Some((7, 55)));
        assert_eq!(parse_version("wget 1.21"), None);
        assert!(parse_version("curl 7.52.1 (x)").is_some_and(|v| v < MIN_CURL));
    }
}
