//! A string that must never reach a log, an error or a panic message, and
//! the process-wide list of every secret the command knows, so that any text
//! about to be printed can have them replaced by `[redacted]`.

use std::borrow::Cow;
use std::fmt;
use std::sync::Mutex;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::Zeroizing;

/// A password, client secret, token or API key.
///
/// `Debug` and `Display` both print `[redacted]`; the value is reachable only
/// through [`Secret::expose`], so every place that reveals a secret is greppable.
/// The buffer is wiped when the value is dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        let value = Zeroizing::new(value.into());
        remember(&value);
        Self(value)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Serialization writes the real value: it is used only for the secret store's
/// own record, which lives in the keyring or the 0600 credentials file.
impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::new)
    }
}

/// Every secret this process has held, as written and in the encodings a
/// server may echo it in (form/query encoding, JSON string escaping). A
/// static is never dropped, so these copies live until the process ends; the
/// process is undumpable (see `hardening`), like the rest of its memory.
static KNOWN: Mutex<Vec<Zeroizing<String>>> = Mutex::new(Vec::new());

/// Shorter values are not redacted: a two-letter "secret" would blank out
/// every occurrence of those letters in a message and make it unreadable.
const MIN_REDACTED_CHARS: usize = 4;

const REDACTED: &str = "[redacted]";

fn remember(value: &str) {
    if value.chars().count() < MIN_REDACTED_CHARS {
        return;
    }
    let encoded: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
    let json = serde_json::to_string(value).unwrap_or_default();
    let json = json
        .strip_prefix('"')
        .and_then(|json| json.strip_suffix('"'))
        .unwrap_or(value);
    let mut known = KNOWN
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    for form in [value, encoded.as_str(), json] {
        if !known.iter().any(|known| known.as_str() == form) {
            known.push(Zeroizing::new(form.to_string()));
        }
    }
}

/// Wipes and forgets every remembered secret (at the end of `main`).
pub fn forget_all() {
    KNOWN
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .clear();
}

/// `value` as JSON (pretty or compact) in one buffer of exactly the right
/// size, wiped on drop: serialising into a growing buffer would leave freed,
/// unwiped copies of each prefix behind.
pub fn to_json<T: Serialize>(value: &T, pretty: bool) -> serde_json::Result<Secret> {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    fn write<T: Serialize, W: std::io::Write>(
        out: W,
        value: &T,
        pretty: bool,
    ) -> serde_json::Result<()> {
        if pretty {
            serde_json::to_writer_pretty(out, value)
        } else {
            serde_json::to_writer(out, value)
        }
    }
    let mut count = Count(0);
    write(&mut count, value, pretty)?;
    let mut buffer = Zeroizing::new(Vec::with_capacity(count.0));
    write(&mut *buffer, value, pretty)?;
    // serde_json writes UTF-8; the buffer moves into the String, not copied.
    match String::from_utf8(std::mem::take(&mut *buffer)) {
        Ok(text) => Ok(Secret::new(text)),
        Err(err) => {
            let reason = err.utf8_error();
            drop(Zeroizing::new(err.into_bytes()));
            Err(serde_json::Error::io(std::io::Error::other(reason)))
        }
    }
}

/// `text` with every secret this process knows replaced by `[redacted]`:
/// for any text that came from a server or goes into an error or warning.
pub fn redact(text: &str) -> Cow<'_, str> {
    let known = KNOWN
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut found: Vec<&str> = known
        .iter()
        .map(|secret| secret.as_str())
        .filter(|secret| text.contains(secret))
        .collect();
    if found.is_empty() {
        return Cow::Borrowed(text);
    }
    // Longest first: a secret that contains another is replaced whole.
    found.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
    let mut clean = text.to_string();
    for secret in found {
        clean = clean.replace(secret, REDACTED);
    }
    Cow::Owned(clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_written_once_into_a_buffer_of_its_size() {
        let value = serde_json::json!({"access_token": "at-1", "nested": {"n": [1, 2]}});
        let compact = to_json(&value, false).map(|json| json.expose().to_string());
        let pretty = to_json(&value, true).map(|json| json.expose().to_string());
        assert_eq!(compact.ok(), serde_json::to_string(&value).ok());
        assert_eq!(pretty.ok(), serde_json::to_string_pretty(&value).ok());
    }

    #[test]
    fn known_secrets_are_redacted_in_any_text() {
        let _password = Secret::new("p@ss w\"rd-93a1");
        let _token = Secret::new("tok-5f1e-and-more");
        let _short = Secret::new("ab");
        assert_eq!(
            redact("bad password p@ss w\"rd-93a1 for tok-5f1e-and-more"),
            "bad password [redacted] for [redacted]"
        );
        assert_eq!(
            redact("form: password=p%40ss+w%22rd-93a1"),
            "form: password=[redacted]"
        );
        assert_eq!(
            redact(r#"{"echo":"p@ss w\"rd-93a1"}"#),
            r#"{"echo":"[redacted]"}"#
        );
        assert_eq!(redact("about a cab"), "about a cab");
    }

    #[test]
    fn debug_and_display_never_show_the_value() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret}"), "[redacted]");
        assert_eq!(format!("{secret:?}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(&secret)), "Some([redacted])");
        assert_eq!(secret.expose(), "hunter2");
    }
}
