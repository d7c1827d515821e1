//! Rendering for people and scripts: token formats, `whoami`, the profiles
//! table, RFC 3339 and relative times.

use comfy_table::{ColumnConstraint, ContentArrangement, Table, Width, presets};
use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;

use crate::cli::TokenFormat;
use crate::credential::CredentialKind;
use crate::profile::Profile;
use crate::provider::{AUTHORIZATION, Header};
use crate::secret::Secret;

/// What `token` prints. Built only when the user asked for the secret.
pub struct TokenView<'a> {
    pub profile: &'a str,
    pub provider: &'a str,
    pub kind: CredentialKind,
    pub token: &'a Secret,
    /// The header the token is sent in.
    pub header: &'a Header,
    pub expires_at: Option<Timestamp>,
}

#[derive(Serialize)]
struct TokenJson<'a> {
    profile: &'a str,
    provider: &'a str,
    kind: &'a str,
    token: &'a str,
    token_type: Option<&'a str>,
    header: &'a str,
    header_name: &'a str,
    header_value: &'a str,
    expires_at: Option<String>,
    expires_in: Option<i64>,
}

/// The text `token` prints on stdout for `format`.
pub fn render_token(view: &TokenView<'_>, format: TokenFormat) -> Secret {
    let header = view.header.line();
    let text = match format {
        TokenFormat::Raw => format!("{}\n", view.token.expose()),
        TokenFormat::Header => format!("{}\n", header.expose()),
        TokenFormat::Env => {
            let mut lines = format!(
                "CRMAUTH_TOKEN={}\nCRMAUTH_HEADER={}\n",
                shell_quote(view.token.expose()),
                shell_quote(header.expose())
            );
            if view.header.name == AUTHORIZATION {
                lines.push_str(&format!(
                    "CRMAUTH_AUTHORIZATION={}\n",
                    shell_quote(view.header.value.expose())
                ));
            }
            lines
        }
        TokenFormat::Json => {
            let json = TokenJson {
                profile: view.profile,
                provider: view.provider,
                kind: view.kind.as_str(),
                token: view.token.expose(),
                token_type: view.header.scheme,
                header: header.expose(),
                header_name: view.header.name,
                header_value: view.header.value.expose(),
                expires_at: view.expires_at.map(rfc3339),
                expires_in: view
                    .expires_at
                    .map(|at| at.as_second() - Timestamp::now().as_second()),
            };
            let mut text = serde_json::to_string_pretty(&json).unwrap_or_default();
            text.push('\n');
            text
        }
    };
    Secret::new(text)
}

/// POSIX single quoting: safe with `eval` whatever the value holds.
fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// RFC 3339 in UTC, to the second.
pub fn rfc3339(at: Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// "in 14 days", "expired 3 h ago", "never".
pub fn relative(at: Option<Timestamp>, now: Timestamp) -> String {
    let Some(at) = at else {
        return "never".to_string();
    };
    let seconds = at.as_second() - now.as_second();
    let amount = human_span(seconds.unsigned_abs());
    if seconds >= 0 {
        format!("in {amount}")
    } else {
        format!("expired {amount} ago")
    }
}

fn human_span(seconds: u64) -> String {
    let (value, unit) = match seconds {
        0..120 => (seconds, "s"),
        120..7200 => (seconds / 60, "min"),
        7200..172_800 => (seconds / 3600, "h"),
        _ => (seconds / 86_400, "days"),
    };
    format!("{value} {unit}")
}

/// "3 min ago", "just now" (or "in 5 s" for a clock that runs behind).
pub fn ago(at: Timestamp, now: Timestamp) -> String {
    let seconds = now.as_second() - at.as_second();
    match seconds {
        0 => "just now".to_string(),
        1.. => format!("{} ago", human_span(seconds.unsigned_abs())),
        _ => format!("in {}", human_span(seconds.unsigned_abs())),
    }
}

/// `2026-12-08 10:00Z`: short enough for a table cell.
fn short_time(at: Timestamp) -> String {
    at.strftime("%Y-%m-%d %H:%MZ").to_string()
}

/// `2026-12-08T10:00:00Z (in 14 days)`.
pub fn absolute_and_relative(at: Option<Timestamp>, now: Timestamp) -> String {
    match at {
        None => "never".to_string(),
        Some(time) => format!("{} ({})", rfc3339(time), relative(at, now)),
    }
}

#[derive(Serialize)]
pub struct WhoamiJson {
    pub profile: String,
    pub provider: String,
    pub url: String,
    pub user: Option<String>,
    pub kind: String,
    pub store: String,
    pub obtained_at: String,
    pub expires_at: Option<String>,
    pub expires_in: Option<i64>,
    pub has_refresh_token: bool,
    pub refresh_expires_at: Option<String>,
    pub scopes: Vec<String>,
    pub jwt_claims: Option<Value>,
}

impl WhoamiJson {
    pub fn render_text(&self, store_location: &str, now: Timestamp) -> String {
        let parse = |text: &Option<String>| text.as_deref().and_then(|t| t.parse().ok());
        let mut table = Table::new();
        table.load_style(presets::NOTHING);
        table.set_content_arrangement(ContentArrangement::Dynamic);
        table.set_width(80);
        // Values come from a server (user names, scopes, JWT claims): no
        // terminal escapes, no forged rows, no secret of this command.
        let mut row = |key: &str, value: String| {
            table.add_row(vec![key.to_string(), printable(&value)]);
        };
        row("profile", self.profile.clone());
        row("provider", self.provider.clone());
        row("url", self.url.clone());
        row("user", self.user.clone().unwrap_or_else(|| "-".to_string()));
        row("kind", self.kind.clone());
        row("store", store_location.to_string());
        row(
            "obtained",
            match self.obtained_at.parse() {
                Ok(at) => format!("{} ({})", rfc3339(at), ago(at, now)),
                Err(_) => self.obtained_at.clone(),
            },
        );
        row(
            "expires",
            absolute_and_relative(parse(&self.expires_at), now),
        );
        row(
            "refresh token",
            if self.has_refresh_token {
                match parse(&self.refresh_expires_at) {
                    Some(at) => format!("yes, {}", absolute_and_relative(Some(at), now)),
                    None => "yes".to_string(),
                }
            } else {
                "no".to_string()
            },
        );
        if !self.scopes.is_empty() {
            row("scopes", self.scopes.join(" "));
        }
        if let Some(Value::Object(claims)) = &self.jwt_claims {
            let shown = claims
                .iter()
                .map(|(key, value)| format!("{key}={}", claim_text(value)))
                .collect::<Vec<_>>()
                .join(", ");
            row("jwt claims", shown);
        }
        for column in table.column_iter_mut() {
            column.set_padding((0, 2));
        }
        trimmed(&table)
    }
}

/// `text` with every control character removed and every secret the command
/// knows redacted: fit for a terminal.
fn printable(text: &str) -> String {
    crate::secret::redact(text)
        .chars()
        .filter(|c| !c.is_control())
        .collect()
}

fn claim_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[derive(Serialize)]
pub struct ProfileJson<'a> {
    pub name: &'a str,
    pub default: bool,
    pub provider: &'a str,
    pub url: &'a str,
    pub user: Option<&'a str>,
    pub kind: &'a str,
    pub expires_at: Option<String>,
}

impl<'a> ProfileJson<'a> {
    pub fn new(name: &'a str, profile: &'a Profile, is_default: bool) -> Self {
        Self {
            name,
            default: is_default,
            provider: profile.provider.as_str(),
            url: &profile.url,
            user: profile.user.as_deref(),
            kind: profile.credential.kind.as_str(),
            expires_at: profile.credential.expires_at.map(rfc3339),
        }
    }
}

/// Two lines a profile, so that the table fits 80 columns with typical values:
///
/// ```text
///    PROFILE  PROVIDER                          USER             EXPIRES
///             URL                               KIND
/// *  default  virtuous                          ann@example.org  in 14 days
///             https://api.virtuoussoftware.com  oauth_password   2026-12-08 10:00Z
/// ```
pub fn profiles_table(rows: &[ProfileJson<'_>], now: Timestamp) -> String {
    let mut table = Table::new();
    table.load_style(presets::NOTHING);
    table.set_content_arrangement(ContentArrangement::Dynamic);
    table.set_width(80);
    table.set_header(vec![
        "",
        "PROFILE",
        "PROVIDER\nURL",
        "USER\nKIND",
        "EXPIRES",
    ]);
    for (index, row) in rows.iter().enumerate() {
        if index > 0 {
            table.add_row(vec![""]);
        }
        let expires: Option<Timestamp> = row.expires_at.as_deref().and_then(|t| t.parse().ok());
        table.add_row(vec![
            if row.default { "*" } else { "" }.to_string(),
            row.name.to_string(),
            format!("{}\n{}", row.provider, row.url),
            format!(
                "{}\n{}",
                printable(row.user.unwrap_or("-")),
                kind_label(row.kind)
            ),
            match expires {
                Some(at) => format!("{}\n{}", relative(expires, now), short_time(at)),
                None => "never".to_string(),
            },
        ]);
    }
    // 80 columns: the marker and the expiry keep their width; the profile
    // name (up to 16) and the URL get what they need, leaving room for the
    // kind; whatever is longer wraps, a long user name first.
    const WIDTH: usize = 80;
    const PADDING: usize = 2;
    const MARKER: usize = 2; // "* "
    const EXPIRES: usize = 17; // "2026-12-08 10:00Z"
    const KIND_LABEL: usize = 14; // "oauth (client)"
    let longest = |lengths: &mut dyn Iterator<Item = usize>| lengths.max().unwrap_or(0);
    let name = longest(&mut rows.iter().map(|row| row.name.chars().count())).clamp(7, 16);
    let who = longest(&mut rows.iter().flat_map(|row| {
        [
            row.user.unwrap_or("-").chars().count(),
            kind_label(row.kind).chars().count(),
        ]
    }))
    .max(4);
    let url = longest(&mut rows.iter().map(|row| row.url.chars().count())).max(8);
    let budget = WIDTH - MARKER - EXPIRES - 3 * PADDING - name;
    let url = url.min(budget - who.min(KIND_LABEL));
    let who = who.min(budget - url);
    let widths = [
        MARKER,
        name + PADDING,
        url + PADDING,
        who + PADDING,
        EXPIRES,
    ];
    let paddings: [u16; 5] = [1, 2, 2, 2, 0]; // MARKER and PADDING
    for ((column, width), padding) in table.column_iter_mut().zip(widths).zip(paddings) {
        column.set_padding((0, padding));
        let width = u16::try_from(width).unwrap_or(u16::MAX);
        column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(width)));
    }
    trimmed(&table)
}

/// The credential kind in words, for the table (`--json` has the exact kind).
fn kind_label(kind: &str) -> &str {
    match kind {
        "oauth_password" => "oauth (user)",
        "oauth_client_credentials" => "oauth (client)",
        "api_key" => "api key",
        "auth_token" => "auth token",
        other => other,
    }
}

/// The table's lines without the padding comfy-table leaves at their ends.
fn trimmed(table: &Table) -> String {
    let text = table.to_string();
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    format!("{}\n", lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_values_survive_eval_whatever_they_hold() {
        assert_eq!(shell_quote("a'b $x"), r"'a'\''b $x'");
    }

    #[test]
    fn relative_times_read_naturally() {
        let now = Timestamp::from_second(1_000_000).unwrap_or(Timestamp::UNIX_EPOCH);
        let at = |s: i64| Timestamp::from_second(1_000_000 + s).ok();
        assert_eq!(relative(at(14 * 86_400), now), "in 14 days");
        assert_eq!(relative(at(-3 * 3600 - 5), now), "expired 3 h ago");
        assert_eq!(relative(at(90), now), "in 90 s");
        assert_eq!(relative(None, now), "never");
    }

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + seconds).unwrap_or(Timestamp::UNIX_EPOCH)
    }

    fn row<'a>(
        name: &'a str,
        url: &'a str,
        user: Option<&'a str>,
        kind: &'a str,
        expires: Option<i64>,
    ) -> ProfileJson<'a> {
        ProfileJson {
            name,
            default: name == "default",
            provider: "virtuous",
            url,
            user,
            kind,
            expires_at: expires.map(|s| rfc3339(at(s))),
        }
    }

    fn assert_fits_80(text: &str) {
        for line in text.lines() {
            assert!(
                line.chars().count() <= 80,
                "wider than 80 columns:\n{line}\n\n{text}"
            );
        }
    }

    #[test]
    fn the_profiles_table_fits_80_columns_with_relative_and_absolute_expiry() {
        let rows = [
            row(
                "default",
                "https://api.virtuoussoftware.com",
                Some("ann.long-name@example.org"),
                "oauth_password",
                Some(14 * 86_400),
            ),
            row(
                "shop-ci",
                "https://shop.example.com/platform",
                None,
                "oauth_client_credentials",
                Some(-3 * 3600),
            ),
            row(
                "key",
                "https://api.virtuoussoftware.com",
                None,
                "api_key",
                None,
            ),
        ];
        let text = profiles_table(&rows, at(0));
        println!("{text}");
        assert_fits_80(&text);
        let typical = [row(
            "default",
            "https://api.virtuoussoftware.com",
            Some("ann@example.org"),
            "oauth_password",
            Some(14 * 86_400),
        )];
        let one = profiles_table(&typical, at(0));
        assert_fits_80(&one);
        assert_eq!(
            one.lines().count(),
            4,
            "a typical profile needs no wrapping:\n{one}"
        );
        // Kinds and URLs are never broken.
        assert!(text.contains("oauth (client)"), "{text}");
        assert!(text.contains("https://api.virtuoussoftware.com"), "{text}");
        assert!(text.contains("https://shop.example.com/platform"), "{text}");
        assert!(text.contains("in 14 days"), "{text}");
        assert!(text.contains("2027-01-29 08:00Z"), "{text}");
        assert!(text.contains("expired 3 h ago"), "{text}");
        assert!(text.contains("never"), "{text}");
    }

    #[test]
    fn whoami_says_how_long_ago_the_credential_was_obtained_and_fits_80_columns() {
        let view = WhoamiJson {
            profile: "default".into(),
            provider: "virto".into(),
            url: "https://shop.example.com/platform".into(),
            user: Some("admin".into()),
            kind: "oauth_password".into(),
            store: "file".into(),
            obtained_at: rfc3339(at(-180)),
            expires_at: Some(rfc3339(at(1620))),
            expires_in: Some(1620),
            has_refresh_token: true,
            refresh_expires_at: Some(rfc3339(at(14 * 86_400))),
            scopes: vec!["offline_access".into(), "openid".into()],
            jwt_claims: Some(
                serde_json::json!({"sub": "1eb2fa8ac6574541afdb525833dadb46", "name": "admin", "role": ["__administrator", "reader"], "client_id": "web", "iss": "https://shop.example.com/platform/"}),
            ),
        };
        let text = view.render_text("file /home/ann/.config/crmauth/credentials.json", at(0));
        println!("{text}");
        assert_fits_80(&text);
        assert!(text.contains("(3 min ago)"), "{text}");
        assert!(text.contains("(in 27 min)"), "{text}");
        assert_eq!(ago(at(0), at(0)), "just now");
    }

    #[test]
    fn opaque_tokens_have_no_claims() {
        assert_eq!(
            crate::credential::jwt_claims(&Secret::new("opaque-token")),
            None
        );
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2ln";
        assert_eq!(
            crate::credential::jwt_claims(&Secret::new(jwt)),
            Some(serde_json::json!({"sub": "bob"}))
        );
    }
}
