//! `doctor --online`: each profile's server answers, and its clock agrees
//! with this machine's (expiry maths assume they do).

use jiff::Timestamp;

use super::check::Check;
use crate::context::Context;
use crate::error::Classify;
use crate::http::Request;
use crate::profile::ProfilesFile;

/// More than this between the server's `Date` and the local clock breaks
/// refresh timing (the default margin is 60 s).
const MAX_SKEW_SECS: i64 = 60;

pub fn servers(ctx: &Context, file: &ProfilesFile) -> Vec<Check> {
    let http = match ctx.http() {
        Ok(http) => http,
        Err(err) => {
            return vec![Check::fail(
                "server",
                format!("{err:#}"),
                "check the file given with --cacert or CRMAUTH_CA_BUNDLE",
            )];
        }
    };
    file.profiles
        .iter()
        .map(|(name, profile)| {
            let check_name = format!("server of {name}");
            let url = &profile.url;
            match http
                .send(&Request::get(url))
                .map(|answer| (answer.status, answer.date))
            {
                Err(err) => Check::fail(
                    check_name,
                    err.to_string(),
                    err.hint()
                        .unwrap_or_else(|| "check the URL and your network".to_string()),
                ),
                Ok((status, None)) => Check::pass(
                    check_name,
                    format!(
                        "{url} answers (HTTP {status}), without a Date header to compare clocks"
                    ),
                ),
                Ok((status, Some(date))) => clock_check(check_name, url, status, &date),
            }
        })
        .collect()
}

fn clock_check(check_name: String, url: &str, status: u16, date: &str) -> Check {
    let Ok(server_time) = jiff::fmt::rfc2822::DateTimeParser::new().parse_timestamp(date.trim())
    else {
        return Check::pass(
            check_name,
            format!("{url} answers (HTTP {status}); its Date header does not parse"),
        );
    };
    let skew = Timestamp::now().as_second() - server_time.as_second();
    if skew.abs() > MAX_SKEW_SECS {
        let direction = if skew > 0 { "ahead of" } else { "behind" };
        return Check::fail(
            check_name,
            format!(
                "{url} answers (HTTP {status}), but this machine's clock is {} s {direction} the server's",
                skew.abs()
            ),
            "set the clock right: 'sudo timedatectl set-ntp true' (or your system's time sync)",
        );
    }
    Check::pass(
        check_name,
        format!(
            "{url} answers (HTTP {status}); clocks agree within {} s",
            skew.abs().max(1)
        ),
    )
}
