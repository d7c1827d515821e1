//! Values the user gives: secrets from stdin, env or a hidden prompt; plain
//! values from flags or a prompt; URL checks. A missing value without a
//! terminal is a usage error naming the flag and the variable.

use std::io::{self, IsTerminal, Read};

use dialoguer::console::Term;
use dialoguer::console::style;
use dialoguer::theme::{ColorfulTheme, Theme as _};
use dialoguer::{Password, Select};
use zeroize::{Zeroize, Zeroizing};

use crate::error::UsageError;
use crate::provider::ProviderKind;
use crate::secret::Secret;
use crate::terminal;
use crate::urls::{self, Globbing};

/// Larger stdin is not a secret anyone typed or piped on purpose.
const MAX_STDIN_SECRET: u64 = 64 * 1024;

/// Where a secret may come from, in order: `--FLAG-stdin`, the env var, a prompt.
pub struct SecretSource<'a> {
    pub from_stdin: bool,
    pub stdin_flag: &'a str,
    pub env_var: &'a str,
    pub prompt: &'a str,
}

/// Whether prompts can be shown: stdin and stderr are terminals.
pub fn interactive() -> bool {
    io::stdin().is_terminal() && io::stderr().is_terminal()
}

pub fn read_secret(source: &SecretSource<'_>) -> Result<Secret, UsageError> {
    if source.from_stdin {
        return read_stdin_secret(source.stdin_flag);
    }
    if let Ok(value) = std::env::var(source.env_var) {
        let secret = Secret::new(value);
        if secret.is_empty() {
            return Err(UsageError::new(format!(
                "{} is set but empty",
                source.env_var
            )));
        }
        refuse_nul(&secret, source.env_var)?;
        return Ok(secret);
    }
    if interactive() {
        terminal::restore_on_interrupt();
        let value = Password::with_theme(&ColorfulTheme::default())
            .with_prompt(source.prompt)
            // EOF (Ctrl-D) reads as empty: refused below instead of asking forever.
            .allow_empty_password(true)
            .interact_on(&Term::stderr())
            .map_err(|_| UsageError::new(format!("{}: no input", source.prompt)))?;
        let secret = Secret::new(value);
        if secret.is_empty() {
            return Err(UsageError::new(format!(
                "{} must not be empty",
                source.prompt
            )));
        }
        return Ok(secret);
    }
    Err(UsageError::new(format!(
        "{} is required: pass {} or set {}",
        source.prompt.to_lowercase(),
        source.stdin_flag,
        source.env_var
    )))
}

/// All of stdin, less one trailing `\n` or `\r\n`, nothing else.
fn read_stdin_secret(flag: &str) -> Result<Secret, UsageError> {
    // Room for all that is read up front: a growing buffer would leave freed,
    // unwiped copies of the secret behind each time it moved.
    let mut bytes = Zeroizing::new(Vec::with_capacity(MAX_STDIN_SECRET as usize + 1));
    io::stdin()
        .take(MAX_STDIN_SECRET + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| UsageError::new(format!("{flag}: cannot read standard input: {err}")))?;
    if bytes.len() as u64 > MAX_STDIN_SECRET {
        return Err(UsageError::new(format!(
            "{flag}: standard input is larger than {} KiB",
            MAX_STDIN_SECRET / 1024
        )));
    }
    // One trailing `\n` or `\r\n` goes, wiped rather than only cut off: the
    // bytes beyond the end stay in the buffer the Secret keeps.
    let newline = if bytes.ends_with(b"\r\n") {
        2
    } else {
        usize::from(bytes.ends_with(b"\n"))
    };
    let keep = bytes.len() - newline;
    bytes[keep..].zeroize();
    bytes.truncate(keep);
    // Moved, not copied, into the string that becomes the Secret.
    let text = match String::from_utf8(std::mem::take(&mut *bytes)) {
        Ok(text) => text,
        Err(err) => {
            drop(Zeroizing::new(err.into_bytes()));
            return Err(UsageError::new(format!(
                "{flag}: standard input is not UTF-8"
            )));
        }
    };
    let secret = Secret::new(text);
    if secret.is_empty() {
        return Err(UsageError::new(format!("{flag}: standard input is empty")));
    }
    refuse_nul(&secret, flag)?;
    Ok(secret)
}

/// A NUL byte cannot be part of a password, key or header value, and C-based
/// servers would cut the value there: refused rather than sent encoded.
fn refuse_nul(secret: &Secret, source: &str) -> Result<(), UsageError> {
    if secret.expose().contains('\0') {
        return Err(UsageError::new(format!(
            "{source}: the secret contains a NUL byte"
        )));
    }
    Ok(())
}

/// A plain value: the flag's, else a prompt on a terminal, else a usage error.
pub fn plain_value(
    given: Option<String>,
    flag: &str,
    prompt: &str,
    default: Option<&str>,
) -> Result<String, UsageError> {
    if let Some(value) = given {
        return Ok(value);
    }
    if interactive() {
        terminal::restore_on_interrupt();
        return read_line(prompt, default);
    }
    if let Some(default) = default {
        return Ok(default.to_string());
    }
    Err(UsageError::new(format!(
        "{} is required: pass {flag}",
        prompt.to_lowercase()
    )))
}

/// Asks for one line on the terminal as it is (canonical mode): the terminal
/// echoes and edits, Ctrl-D on an empty line is end of input (exit 2), Ctrl-C
/// is SIGINT. Empty takes the default, or asks again; control characters are
/// refused.
fn read_line(prompt: &str, default: Option<&str>) -> Result<String, UsageError> {
    let term = Term::stderr();
    let question = format!(
        "{} {}{} {} ",
        style("?").yellow().for_stderr(),
        style(prompt).bold().for_stderr(),
        default.map(|d| format!(" ({d})")).unwrap_or_default(),
        style("›").dim().for_stderr()
    );
    loop {
        let _ = term.write_str(&question);
        let mut line = String::new();
        let read = io::stdin()
            .read_line(&mut line)
            .map_err(|err| UsageError::new(format!("{prompt}: cannot read the terminal: {err}")))?;
        if read == 0 {
            let _ = term.write_line("");
            return Err(UsageError::new(format!("{prompt}: no input")));
        }
        let value = line.trim();
        if value.chars().any(char::is_control) {
            let _ = term.write_line("  control characters are not allowed here");
            continue;
        }
        let answer = match (value.is_empty(), default) {
            (false, _) => value.to_string(),
            (true, Some(default)) => default.to_string(),
            (true, None) => continue,
        };
        show_answered(&term, &question, &line, prompt, &answer);
        return Ok(answer);
    }
}

/// Replaces the question and what was typed with `✔ prompt · answer`, as
/// dialoguer's select and password prompts leave them.
fn show_answered(term: &Term, question: &str, typed: &str, prompt: &str, answer: &str) {
    let columns = usize::from(term.size().1).max(1);
    let width = dialoguer::console::measure_text_width(question)
        + typed.trim_end_matches(['\r', '\n']).chars().count();
    let rows = width.div_ceil(columns).max(1);
    let mut done = String::new();
    if ColorfulTheme::default()
        .format_input_prompt_selection(&mut done, prompt, answer)
        .is_ok()
    {
        let _ = term.clear_last_lines(rows);
        let _ = term.write_line(&done);
    }
}

/// The provider: the flag's, else a select prompt on a terminal.
pub fn provider(
    given: Option<ProviderKind>,
    choices: &[ProviderKind],
) -> Result<ProviderKind, UsageError> {
    if let Some(kind) = given {
        return Ok(kind);
    }
    if interactive() {
        terminal::restore_on_interrupt();
        let items: Vec<String> = choices
            .iter()
            .map(|kind| format!("{:<9} {}", kind.as_str(), kind.description()))
            .collect();
        // Esc or q cancels (the select reads keys, so Ctrl-D is not end of input).
        let index = Select::with_theme(&ColorfulTheme::default())
            .with_prompt("Provider (Esc to cancel)")
            .items(&items)
            .default(0)
            .interact_on_opt(&Term::stderr())
            .map_err(|_| UsageError::new("provider: no input"))?;
        return index
            .and_then(|index| choices.get(index).copied())
            .ok_or_else(|| UsageError::new("no provider chosen"));
    }
    let names: Vec<&str> = choices.iter().map(|kind| kind.as_str()).collect();
    Err(UsageError::new(format!(
        "the provider is required: pass --provider {}",
        names.join("|")
    )))
}

/// Accepts `https://` URLs, and `http://` only for loopback hosts unless the
/// user allowed it. Credentials, queries, fragments and every form that curl
/// could read differently are refused (see [`urls::parse_strict`]). Returns
/// the normalised URL that was checked, without a trailing `/`: that is what
/// the profile keeps.
pub fn validate_url(text: &str, allow_http: bool) -> Result<String, UsageError> {
    let url = urls::parse_strict(text, Globbing::On)
        .map_err(|err| err.with_hint("give the full base URL, e.g. https://crm.example.com"))?;
    if url.fragment().is_some() || url.query().is_some() {
        return Err(UsageError::new(format!(
            "the URL must not contain a query or fragment: '{}'",
            url.origin().ascii_serialization()
        )));
    }
    if url.scheme() == "http" && !allow_http && !urls::is_loopback(&url) {
        return Err(UsageError::new(format!(
            "refusing plain http:// to {}: credentials would cross the network unencrypted",
            url.host_str().unwrap_or("?")
        ))
        .with_hint("use https://, or pass --allow-http if you really mean it"));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_for_loopback() {
        assert!(validate_url("http://127.0.0.1:8080", false).is_ok());
        assert!(validate_url("http://127.5.0.1", false).is_ok());
        assert!(validate_url("http://localhost/x", false).is_ok());
        assert!(validate_url("http://[::1]:99", false).is_ok());
        assert!(validate_url("http://crm.example.com", false).is_err());
        assert!(validate_url("http://crm.example.com", true).is_ok());
        assert!(validate_url("https://crm.example.com/platform", false).is_ok());
    }

    #[test]
    fn an_unparsable_url_with_credentials_is_not_echoed() {
        let err = validate_url("https://bob:hunter2@[bad", false).err();
        assert!(err.is_some_and(|e| !e.message.contains("hunter2")));
    }

    #[test]
    fn the_checked_url_is_kept_normalised() {
        assert_eq!(
            validate_url("HTTP://LocalHost:8080/Base/", false)
                .ok()
                .as_deref(),
            Some("http://localhost:8080/Base")
        );
        assert!(validate_url("http://127.0.0.1\\@example.com/", false).is_err());
        assert!(validate_url("http://localhost./", false).is_err());
    }

    #[test]
    fn odd_urls_are_refused() {
        assert!(validate_url("crm.example.com", false).is_err());
        assert!(validate_url("https://u:p@crm.example.com", false).is_err());
        assert!(validate_url("https://crm.example.com/#frag", false).is_err());
        assert!(validate_url("ftp://crm.example.com", false).is_err());
    }
}
