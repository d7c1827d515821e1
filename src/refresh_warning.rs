//! The week's notice before a refresh token dies: `token`, `curl` and `exec`
//! say so on stderr, at most once a day per profile, so that the owner of a
//! cron job logs in again before it stops working.
//!
//! "Once a day" is kept in a stamp file per profile,
//! `<config dir>/warned/<profile>` (0600), holding the time of the last
//! warning.

use std::path::PathBuf;

use jiff::{SignedDuration, Timestamp};

use crate::context::Context;
use crate::credential::CredentialInfo;
use crate::files;
use crate::output;

/// Warn when the refresh token expires within this time.
pub const NOTICE: SignedDuration = SignedDuration::from_hours(7 * 24);
/// Warn a profile at most this often.
pub const QUIET_PERIOD: SignedDuration = SignedDuration::from_hours(24);

/// Warns on stderr when `info`'s refresh token expires within [`NOTICE`] and
/// the profile was not warned within [`QUIET_PERIOD`]. Never under `-q`;
/// never fails the command (a stamp that cannot be written means at worst
/// one warning more).
pub fn warn_if_due(ctx: &Context, profile: &str, info: &CredentialInfo) {
    if ctx.quiet {
        return;
    }
    let now = Timestamp::now();
    let Some(message) = message(profile, info, now) else {
        return;
    };
    let stamp = stamp_path(ctx, profile);
    if warned_recently(&stamp, now) {
        return;
    }
    let _ = files::write_atomic(&stamp, output::rfc3339(now).as_bytes());
    ctx.warn(message);
}

/// The warning for `info` at `now`, if one is due.
fn message(profile: &str, info: &CredentialInfo, now: Timestamp) -> Option<String> {
    let expires_at = info.refresh_expires_at.filter(|_| info.has_refresh_token)?;
    if expires_at.duration_since(now) > NOTICE {
        return None;
    }
    let when = output::absolute_and_relative(Some(expires_at), now);
    let verb = if expires_at > now {
        "expires"
    } else {
        "has expired:"
    };
    Some(format!(
        "the refresh token of profile '{profile}' {verb} {when}; \
         run 'crmauth login -p {profile}' to keep it working"
    ))
}

fn stamp_path(ctx: &Context, profile: &str) -> PathBuf {
    ctx.config_dir.join("warned").join(profile)
}

fn warned_recently(stamp: &std::path::Path, now: Timestamp) -> bool {
    std::fs::read_to_string(stamp)
        .ok()
        .and_then(|text| text.trim().parse::<Timestamp>().ok())
        .is_some_and(|last| last <= now && now.duration_since(last) < QUIET_PERIOD)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential::CredentialKind;

    fn info(refresh_in_secs: Option<i64>, now: Timestamp) -> CredentialInfo {
        let mut info = CredentialInfo::new(CredentialKind::OauthPassword);
        info.has_refresh_token = true;
        info.refresh_expires_at = refresh_in_secs.map(|secs| now + SignedDuration::from_secs(secs));
        info
    }

    #[test]
    fn warns_within_a_week_naming_the_login_command() {
        let now = Timestamp::now();
        let text = message("ci", &info(Some(3 * 86_400), now), now).expect("due");
        assert!(text.contains("expires"), "{text}");
        assert!(text.contains("in 3 days"), "{text}");
        assert!(text.contains("crmauth login -p ci"), "{text}");
    }

    #[test]
    fn says_when_it_has_already_expired() {
        let now = Timestamp::now();
        let text = message("ci", &info(Some(-86_400 * 2), now), now).expect("due");
        assert!(text.contains("has expired"), "{text}");
    }

    #[test]
    fn no_warning_beyond_a_week_or_without_a_refresh_token() {
        let now = Timestamp::now();
        assert!(message("ci", &info(Some(8 * 86_400), now), now).is_none());
        assert!(message("ci", &info(None, now), now).is_none());
        let mut without = info(Some(3600), now);
        without.has_refresh_token = false;
        assert!(message("ci", &without, now).is_none());
    }

    #[test]
    fn a_stamp_from_the_future_does_not_silence_forever() {
        let dir = tempfile::tempdir().expect("temp dir");
        let stamp = dir.path().join("p");
        let now = Timestamp::now();
        std::fs::write(
            &stamp,
            output::rfc3339(now + SignedDuration::from_hours(500)),
        )
        .expect("write");
        assert!(!warned_recently(&stamp, now));
        std::fs::write(
            &stamp,
            output::rfc3339(now - SignedDuration::from_hours(23)),
        )
        .expect("write");
        assert!(warned_recently(&stamp, now));
        std::fs::write(
            &stamp,
            output::rfc3339(now - SignedDuration::from_hours(25)),
        )
        .expect("write");
        assert!(!warned_recently(&stamp, now));
    }
}
