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
//! with `/` is taken relative to the profile URL. Which curl options take a
//! value is known from curl 8's `--help all`; an option unknown here is taken
//! as a flag. curl reads `~/.curlrc` unless `-q` is its first argument, so a
//! leading `-q` stays first.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow, bail};

use crate::cli::{self, CurlArgs};
use crate::context::Context;
use crate::error::UsageError;
use crate::http;
use crate::input;
use crate::secret::Secret;
use crate::session::Session;

/// Refresh first when the token expires within `--min-valid`'s default, as
/// `token` does (curl's own arguments leave no room for the flag).
fn min_valid() -> Result<Duration> {
    cli::parse_duration(cli::DEFAULT_MIN_VALID).map_err(|err| anyhow!(err))
}

pub fn run(ctx: &Context, args: CurlArgs) -> Result<ExitCode> {
    let curl = find_curl()?;
    let profiles = ctx.profiles().load()?;
    let name = ctx.profile_name(&profiles);
    let store = ctx.store();
    let session = Session::load(store.as_ref(), &profiles, &name)?.ensure_fresh(
        ctx,
        store.as_ref(),
        min_valid()?,
    )?;
    crate::refresh_warning::warn_if_due(ctx, &session.name, &session.credential.info);
    let header = session.profile.provider.header(
        session.credential.info.kind,
        &session.credential.access_token,
    );
    if header.value.expose().contains(['\r', '\n']) {
        bail!("the credential of profile '{name}' contains a line break; log in again");
    }
    let line = Secret::new(format!("{}\n", header.line().expose()));
    let mut pieces = plan(&args.args, &session.profile.url);
    refuse_plain_http(&pieces, session.profile.allow_http)?;
    if let Some(ca) = ctx.ca_bundle() {
        trust_ca(&mut pieces, ca)?;
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
        pieces.push(Piece::Arg(first.clone()));
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
        pieces.push(Piece::Arg(arg.clone()));
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
        [Piece::Arg("--cacert".into()), Piece::Arg(ca.into())],
    );
    Ok(())
}

/// The header must not cross the network in clear text: a plain `http://`
/// URL (or one without a scheme, which curl takes as http) to a host that is
/// not loopback is refused, as at login, unless the profile allows http.
fn refuse_plain_http(pieces: &[Piece], allow_http: bool) -> Result<(), UsageError> {
    for piece in pieces {
        let Piece::Url(url) = piece else { continue };
        if let Some(host) = input::clear_text_host(&url.to_string_lossy())
            && !allow_http
        {
            return Err(UsageError::new(format!(
                "refusing to send the credential over plain http to {host}"
            ))
            .with_hint("use https://, or log in with --allow-http if you really mean it"));
        }
    }
    Ok(())
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
            Piece::Arg(arg) | Piece::Url(arg) => argv.push(arg),
            Piece::Header => {
                let pipe = header_pipe(line).context("cannot pass the header to curl")?;
                argv.push("-H".into());
                argv.push(format!("@/dev/fd/{}", pipe.as_raw_fd()).into());
                pipes.push(pipe);
            }
        }
    }
    let err = std::process::Command::new(curl).args(argv).exec();
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
        Piece::Arg(arg) | Piece::Url(arg) => vec![arg],
        Piece::Header => vec!["-H".into(), reference.clone()],
    });
    let status = std::process::Command::new(curl)
        .args(argv)
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
                Piece::Arg(arg) | Piece::Url(arg) => arg.into_string().unwrap(),
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
