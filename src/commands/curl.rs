//! `crmauth curl`: run the system curl with the profile's `Authorization`
//! header added, without the secret ever appearing in a command line.
//!
//! The header reaches curl as `-H @FILE`, which curl 7.55.0 and later read as
//! a file of header lines (older curls would send a header literally named
//! `@FILE`; they are from 2017 and older). What FILE is:
//!
//! - On Unix, `/dev/fd/N`: the read end of a pipe that already holds the
//!   header line, inherited by curl. crmauth then *becomes* curl (`exec`), so
//!   curl's exit status, its death by a signal, the terminal, stdin, stdout
//!   and stderr are all curl's own, and the secret never touches the disk.
//! - Elsewhere, a temp file only the user can read, removed when curl exits.
//!
//! An argument that is one of curl's URLs (not an option's value) and starts
//! with `/` is taken relative to the profile URL. Every URL of every operation
//! must then have the profile URL's origin (scheme, host, port), read the way
//! curl reads it, or curl does not run; options that would send the request
//! elsewhere (`--connect-to`, `--resolve`, `-K`, ...) are refused, and a
//! loopback profile gets `--noproxy HOST`. Which curl options take a
//! value is known from curl 8's `--help all`; an option unknown here is taken
//! as a flag. curl reads `~/.curlrc` unless `-q` is its first argument, so a
//! leading `-q` stays first.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow, bail};

use crate::child_env;
use crate::cli::{self, CurlArgs};
use crate::context::Context;
use crate::error::UsageError;
use crate::http;
use crate::provider::AUTHORIZATION;
use crate::secret::Secret;
use crate::urls::{self, Globbing};
use url::Url;

/// Refresh first when the token expires within `--min-valid`'s default, as
/// `token` does (curl's own arguments leave no room for the flag).
fn min_valid() -> Result<Duration> {
    cli::parse_duration(cli::DEFAULT_MIN_VALID).map_err(|err| anyhow!(err))
}

pub fn run(ctx: &Context, args: CurlArgs) -> Result<ExitCode> {
    let curl = find_curl()?;
    let (session, header) = super::credential_for_use(ctx, min_valid()?)?;
    let name = &session.name;
    if header.value.expose().contains(['\r', '\n']) {
        bail!("the credential of profile '{name}' contains a line break; log in again");
    }
    let line = Secret::new(format!("{}\n", header.line().expose()));
    let origin = Url::parse(&session.profile.url).map_err(|_| {
        UsageError::new(format!(
            "the URL of profile '{name}' is not valid: {}",
            urls::shown(&session.profile.url)
        ))
        .with_hint(format!("run 'crmauth login -p {name} --url URL'"))
    })?;
    let mut pieces = plan(&args.args, &session.profile.url);
    bind_to_origin(&mut pieces, &origin)?;
    if header.name != AUTHORIZATION {
        refuse_redirects(&pieces, header.name)?;
    }
    if let Some(ca) = ctx.ca_bundle() {
        trust_ca(&mut pieces, ca)?;
    }
    if urls::is_loopback(&origin) {
        bypass_proxy(&mut pieces, &origin);
    }
    hand_over(&curl, pieces, &line)
}

#[cfg(unix)]
use exec_with_pipes as hand_over;
#[cfg(not(unix))]
use run_with_temp_file as hand_over;

/// `CRMAUTH_CURL` (a path, or a name looked up on `PATH`), else `curl` on `PATH`.
pub fn find_curl() -> Result<PathBuf> {
    let wanted = std::env::var_os("CRMAUTH_CURL").filter(|value| !value.is_empty());
    let name = wanted.clone().unwrap_or_else(|| OsString::from("curl"));
    which::which(&name).map_err(|_| match wanted {
        Some(_) => anyhow!(
            "CRMAUTH_CURL is {}, which is not an executable file",
            Path::new(&name).display()
        ),
        None => anyhow!("cannot find curl on PATH: install curl, or set CRMAUTH_CURL to its path"),
    })
}

/// curl's command line, with a place for the header in each of its
/// operations (the first one, and each one after `--next`).
#[derive(Debug, PartialEq, Eq)]
enum Piece {
    /// An option (`-s`, `--next`, `-sSo`).
    Opt(OsString),
    /// An option's value, or anything else that is not a URL.
    Arg(OsString),
    /// One of curl's URLs (already made absolute).
    Url(OsString),
    /// `-H @FILE`
    Header,
}

/// Short options of curl that take a value.
const SHORT_WITH_VALUE: &str = "AbcCdDeEFHKmoPQrtTuUwxXyYz";

/// Long options of curl (without `--`) that take a value.
#[rustfmt::skip]
const LONG_WITH_VALUE: &[&str] = &[
    "abstract-unix-socket", "alt-svc", "aws-sigv4", "cacert", "capath", "cert", "cert-type",
    "ciphers", "config", "connect-timeout", "connect-to", "continue-at", "cookie", "cookie-jar",
    "create-file-mode", "crlfile", "curves", "data", "data-ascii", "data-binary", "data-raw",
    "data-urlencode", "delegation", "dns-interface", "dns-ipv4-addr", "dns-ipv6-addr",
    "dns-servers", "doh-url", "dump-header", "ech", "egd-file", "engine", "etag-compare",
    "etag-save", "expect100-timeout", "form", "form-string", "ftp-account",
    "ftp-alternative-to-user", "ftp-method", "ftp-port", "ftp-ssl-ccc-mode",
    "happy-eyeballs-timeout-ms", "haproxy-clientip", "header", "hostpubmd5", "hostpubsha256",
    "hsts", "interface", "ip-tos", "json", "keepalive-cnt", "keepalive-time", "key", "key-type",
    "knownhosts", "krb", "libcurl", "limit-rate", "local-port", "login-options", "mail-auth",
    "mail-from", "mail-rcpt", "max-filesize", "max-redirs", "max-time", "netrc-file", "noproxy",
    "oauth2-bearer", "output", "output-dir", "parallel-max", "parallel-max-host", "pass",
    "pinnedpubkey", "preproxy", "proto", "proto-default", "proto-redir", "proxy",
    "proxy-cacert", "proxy-capath", "proxy-cert", "proxy-cert-type", "proxy-ciphers",
    "proxy-crlfile", "proxy-header", "proxy-key", "proxy-key-type", "proxy-pass",
    "proxy-pinnedpubkey", "proxy-service-name", "proxy-tls13-ciphers", "proxy-tlsauthtype",
    "proxy-tlspassword", "proxy-tlsuser", "proxy-user", "pubkey", "quote", "random-file",
    "range", "rate", "referer", "request", "request-target", "resolve", "retry", "retry-delay",
    "retry-max-time", "sasl-authzid", "service-name", "sigalgs", "socks4", "socks4a", "socks5",
    "socks5-gssapi-service", "socks5-hostname", "speed-limit", "speed-time", "ssl-sessions",
    "stderr", "telnet-option", "tftp-blksize", "time-cond", "tls-max", "tls13-ciphers",
    "tlsauthtype", "tlspassword", "tlsuser", "trace", "trace-ascii", "trace-config",
    "unix-socket", "upload-file", "upload-flags", "url", "url-query", "user", "user-agent",
    "variable", "vlan-priority", "write-out",
];

/// The user's curl arguments, unchanged except for URLs starting with `/`,
/// with a header placed in each operation.
fn plan(args: &[OsString], base_url: &str) -> Vec<Piece> {
    let mut pieces = Vec::with_capacity(args.len() + 1);
    let mut rest = args.iter().peekable();
    if let Some(first) = rest.next_if(|arg| *arg == "-q" || *arg == "--disable") {
        pieces.push(Piece::Opt(first.clone()));
    }
    pieces.push(Piece::Header);
    let mut options = true; // until `--`
    let mut next_is_value = false;
    let mut next_is_url = false;
    for arg in rest {
        let text = arg.to_str().unwrap_or("");
        if next_is_value {
            next_is_value = false;
            pieces.push(if next_is_url {
                Piece::Url(url_arg(arg, base_url))
            } else {
                Piece::Arg(arg.clone())
            });
            continue;
        }
        let is_option = options && text.starts_with('-') && text.len() > 1;
        if !is_option {
            pieces.push(Piece::Url(url_arg(arg, base_url)));
            continue;
        }
        pieces.push(Piece::Opt(arg.clone()));
        if text == "--" {
            options = false;
        } else if text == "--next" || text == "-:" {
            pieces.push(Piece::Header);
        } else if let Some(long) = text.strip_prefix("--") {
            let long = long.strip_prefix("expand-").unwrap_or(long);
            next_is_value = LONG_WITH_VALUE.contains(&long);
            next_is_url = long == "url";
        } else {
            // A cluster such as `-sSo`: the first letter that takes a value
            // takes the rest of the cluster, or the next argument.
            let letters = &text[1..];
            if let Some(at) = letters.find(|c| SHORT_WITH_VALUE.contains(c)) {
                next_is_value = at + 1 == letters.len();
                next_is_url = false;
            }
        }
    }
    pieces
}

fn url_arg(arg: &OsStr, base_url: &str) -> OsString {
    match arg.to_str() {
        Some(path) if path.starts_with('/') => http::join_url(base_url, path).into(),
        _ => arg.to_owned(),
    }
}

/// The CA that crmauth was told to trust goes to curl too (before the user's
/// own arguments, so a `--cacert` of theirs still wins).
fn trust_ca(pieces: &mut Vec<Piece>, ca: &Path) -> Result<(), http::HttpError> {
    // The same error (exit 2) as when crmauth's own requests load it.
    if !ca.is_file() {
        return Err(http::HttpError::CaBundle {
            path: ca.to_path_buf(),
            reason: "no such file".to_string(),
        });
    }
    let at = pieces
        .iter()
        .position(|piece| matches!(piece, Piece::Header))
        .unwrap_or(0);
    pieces.splice(
        at..at,
        [Piece::Opt("--cacert".into()), Piece::Arg(ca.into())],
    );
    Ok(())
}

/// The credential goes only to the profile's origin: every URL of every
/// operation must have its scheme, host and port, read as curl will read it
/// (see [`urls::parse_strict`]), or curl does not run. URLs are handed on in
/// the normalised form that was checked. A curl config file (`-K`) could
/// hold URLs crmauth never sees, so it is refused too.
fn bind_to_origin(pieces: &mut [Piece], origin: &Url) -> Result<(), UsageError> {
    for operation in pieces.split_mut(|piece| matches!(piece, Piece::Header)) {
        let options = || {
            operation.iter().filter_map(|piece| match piece {
                Piece::Opt(option) => option.to_str(),
                _ => None,
            })
        };
        for (long, short, why) in REFUSED_OPTIONS {
            if options().any(|option| takes_flag(option, long, *short)) {
                let name = match short {
                    Some(short) => format!("-{short}/--{long}"),
                    None => format!("--{long}"),
                };
                return Err(
                    UsageError::new(format!("crmauth curl does not take {name}: {why}")).with_hint(
                        "crmauth curl sends the credential only to the profile's origin, so it \
                     must see where each request goes",
                    ),
                );
            }
        }
        let globbing = if options().any(|option| takes_flag(option, "globoff", Some('g'))) {
            Globbing::Off
        } else {
            Globbing::On
        };
        for piece in operation.iter_mut() {
            let Piece::Url(text) = piece else { continue };
            let text = text
                .to_str()
                .ok_or_else(|| UsageError::new("refusing a URL that is not UTF-8"))?;
            let url = urls::parse_strict(text, globbing)?;
            if !urls::same_origin(&url, origin) {
                return Err(UsageError::new(format!(
                    "refusing to send the credential to {}: not the profile's origin {}",
                    urls::shown(text),
                    origin.origin().ascii_serialization()
                ))
                .with_hint(
                    "crmauth curl sends the credential only to the profile's own scheme, host \
                     and port; use a path such as /api/x, or a profile for that server",
                ));
            }
            *piece = Piece::Url(url.as_str().into());
        }
    }
    Ok(())
}

/// curl keeps only `Authorization` from the hosts a redirect names; any
/// other header it would hand to them, so `-L` is refused for such a header
/// (a Virto API key goes in `api_key`).
fn refuse_redirects(pieces: &[Piece], header: &str) -> Result<(), UsageError> {
    let follows = pieces.iter().any(|piece| match piece {
        Piece::Opt(option) => option
            .to_str()
            .is_some_and(|option| takes_flag(option, "location", Some('L'))),
        _ => false,
    });
    if follows {
        return Err(UsageError::new(format!(
            "crmauth curl does not take -L/--location with this profile: curl would send its \
             '{header}' header to every host a redirect names"
        ))
        .with_hint("follow the redirect yourself with a second crmauth curl to the new path"));
    }
    Ok(())
}

/// curl options that would take the credential, or the request, somewhere
/// crmauth cannot check: with the reason.
const REFUSED_OPTIONS: &[(&str, Option<char>, &str)] = &[
    (
        "config",
        Some('K'),
        "crmauth could not check the URLs in a config file",
    ),
    (
        "connect-to",
        None,
        "it connects to another host than the URL's",
    ),
    (
        "resolve",
        None,
        "it connects to another address than the URL's host has",
    ),
    (
        "doh-url",
        None,
        "a DNS server of its choice could send the request elsewhere",
    ),
    (
        "dns-servers",
        None,
        "a DNS server of its choice could send the request elsewhere",
    ),
    (
        "unix-socket",
        None,
        "it sends the request to a socket, not to the URL's host",
    ),
    (
        "abstract-unix-socket",
        None,
        "it sends the request to a socket, not to the URL's host",
    ),
    (
        "location-trusted",
        None,
        "it sends the credential to every host a redirect names",
    ),
];

/// Whether `option` is `--LONG`, or a cluster of short flags that sets
/// `short` before any letter that takes a value.
fn takes_flag(option: &str, long: &str, short: Option<char>) -> bool {
    if let Some(name) = option.strip_prefix("--") {
        return name == long;
    }
    let Some(short) = short else {
        return false;
    };
    let letters = option.strip_prefix('-').unwrap_or("");
    letters
        .chars()
        .take_while(|c| !SHORT_WITH_VALUE.contains(*c))
        .any(|c| c == short)
        || letters.chars().find(|c| SHORT_WITH_VALUE.contains(*c)) == Some(short)
}

/// Plain http to loopback is allowed only because it never leaves the
/// machine: curl must not send it to a proxy (curl 7.88 proxies even
/// `localhost` when `http_proxy` is set). `--noproxy HOST` goes into every
/// operation, ahead of the user's arguments.
fn bypass_proxy(pieces: &mut Vec<Piece>, origin: &Url) {
    let host = match origin.host() {
        Some(url::Host::Ipv6(ip)) => ip.to_string(),
        _ => origin.host_str().unwrap_or_default().to_string(),
    };
    let mut at = 0;
    while let Some(found) = pieces[at..]
        .iter()
        .position(|piece| matches!(piece, Piece::Header))
    {
        let index = at + found;
        pieces.splice(
            index..index,
            [
                Piece::Opt("--noproxy".into()),
                Piece::Arg(host.clone().into()),
            ],
        );
        at = index + 3;
    }
}

/// Replaces this process with curl, the header in an inherited pipe per operation.
#[cfg(unix)]
fn exec_with_pipes(curl: &Path, pieces: Vec<Piece>, line: &Secret) -> Result<ExitCode> {
    use std::os::fd::AsRawFd;
    use std::os::unix::process::CommandExt;

    // An empty pipe takes at least this much on Linux and macOS without blocking.
    const PIPE_ROOM: usize = 16 * 1024;
    if line.expose().len() > PIPE_ROOM {
        bail!(
            "the credential is too long to hand to curl ({} bytes)",
            line.expose().len()
        );
    }
    let mut pipes = Vec::new(); // read ends, open until curl has them
    let mut argv = Vec::with_capacity(pieces.len() + 1);
    for piece in pieces {
        match piece {
            Piece::Opt(arg) | Piece::Arg(arg) | Piece::Url(arg) => argv.push(arg),
            Piece::Header => {
                let pipe = header_pipe(line).context("cannot pass the header to curl")?;
                argv.push("-H".into());
                argv.push(format!("@/dev/fd/{}", pipe.as_raw_fd()).into());
                pipes.push(pipe);
            }
        }
    }
    let mut command = std::process::Command::new(curl);
    command.args(argv);
    child_env::scrub(&mut command);
    let err = command.exec();
    Err(anyhow!("cannot run {}: {err}", curl.display()))
}

/// A pipe holding `line`, its write end closed, its read end inherited by
/// programs this process executes.
#[cfg(unix)]
fn header_pipe(line: &Secret) -> std::io::Result<std::io::PipeReader> {
    use std::io::Write;
    use std::os::fd::AsRawFd;

    let (reader, mut writer) = std::io::pipe()?;
    writer.write_all(line.expose().as_bytes())?;
    drop(writer);
    let fd = reader.as_raw_fd();
    // SAFETY: fcntl on a descriptor this function owns; no memory is involved.
    let cleared = unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFD);
        flags >= 0 && libc::fcntl(fd, libc::F_SETFD, flags & !libc::FD_CLOEXEC) >= 0
    };
    if !cleared {
        return Err(std::io::Error::last_os_error());
    }
    Ok(reader)
}

/// Runs curl with the header in a temp file only the user can read, removed
/// when curl exits. Where there is no `/dev/fd` to hand over a pipe.
#[cfg_attr(unix, allow(dead_code))]
fn run_with_temp_file(curl: &Path, pieces: Vec<Piece>, line: &Secret) -> Result<ExitCode> {
    use std::io::Write;

    let mut file = tempfile::Builder::new()
        .prefix("crmauth-header-")
        .tempfile()
        .context("cannot create a temp file for the header")?;
    file.write_all(line.expose().as_bytes())
        .and_then(|()| file.flush())
        .context("cannot write the header to a temp file")?;
    let mut reference = OsString::from("@");
    reference.push(file.path());
    let argv = pieces.into_iter().flat_map(|piece| match piece {
        Piece::Opt(arg) | Piece::Arg(arg) | Piece::Url(arg) => vec![arg],
        Piece::Header => vec!["-H".into(), reference.clone()],
    });
    let mut command = std::process::Command::new(curl);
    command.args(argv);
    child_env::scrub(&mut command);
    let status = command
        .status()
        .with_context(|| format!("cannot run {}", curl.display()))?;
    drop(file);
    Ok(ExitCode::from(
        status
            .code()
            .and_then(|code| u8::try_from(code).ok())
            .unwrap_or(1),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned(line: &str) -> Vec<String> {
        let args: Vec<OsString> = line.split(' ').map(OsString::from).collect();
        plan(&args, "https://h/base/")
            .into_iter()
            .map(|piece| match piece {
                Piece::Opt(arg) | Piece::Arg(arg) | Piece::Url(arg) => arg.into_string().unwrap(),
                Piece::Header => "HEADER".to_string(),
            })
            .collect()
    }

    #[test]
    fn a_url_starting_with_slash_is_relative_to_the_profile() {
        assert_eq!(
            planned("-s /api/x https://other/y"),
            ["HEADER", "-s", "https://h/base/api/x", "https://other/y"]
        );
        assert_eq!(planned("--url /a"), ["HEADER", "--url", "https://h/base/a"]);
        assert_eq!(planned("-- /a"), ["HEADER", "--", "https://h/base/a"]);
    }

    #[test]
    fn option_values_starting_with_slash_stay() {
        assert_eq!(
            planned("-o /tmp/o -sSo /tmp/p -d@/f --cacert /ca /api"),
            [
                "HEADER",
                "-o",
                "/tmp/o",
                "-sSo",
                "/tmp/p",
                "-d@/f",
                "--cacert",
                "/ca",
                "https://h/base/api"
            ]
        );
        assert_eq!(
            planned("--expand-output /o /x"),
            ["HEADER", "--expand-output", "/o", "https://h/base/x"]
        );
    }

    #[test]
    fn each_operation_gets_the_header_and_q_stays_first() {
        assert_eq!(
            planned("-q /a --next /b -: /c"),
            [
                "-q",
                "HEADER",
                "https://h/base/a",
                "--next",
                "HEADER",
                "https://h/base/b",
                "-:",
                "HEADER",
                "https://h/base/c"
            ]
        );
        assert_eq!(planned("-v -q"), ["HEADER", "-v", "-q"]);
    }
}
