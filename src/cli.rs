//! The command line, as clap derive types. Also the source of the generated
//! completions/ and man/ pages.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::provider::ProviderKind;
use crate::store::StoreKind;

pub const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  any other error
  2  usage error (bad flags, missing value in non-interactive mode)
  3  not logged in: no credential stored for the profile
  4  the server rejected the credentials: log in again
  5  network or server trouble (unreachable, timeout, 5xx, unexpected answer)
  6  the secret store is unavailable or locked";

#[derive(Debug, Parser)]
#[command(
    name = "crmauth",
    version,
    about = "Obtain, refresh, store and hand out API credentials for Virtuous, Virto Commerce and Vertical CRM",
    long_about = "crmauth logs in to Virtuous CRM, Virto Commerce and Vertical CRM, keeps the \
credentials in the OS keyring (or a 0600 file with --store file), refreshes them when they \
are about to expire, and hands them to scripts and curl as Authorization headers.",
    after_help = EXIT_CODES,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Profile to use [default: the default profile, else 'default']
    #[arg(
        short,
        long,
        global = true,
        env = "CRMAUTH_PROFILE",
        value_name = "NAME"
    )]
    pub profile: Option<String>,

    /// Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]
    #[arg(long, global = true, env = "CRMAUTH_CONFIG_DIR", value_name = "DIR")]
    pub config_dir: Option<PathBuf>,

    /// Where secrets are kept [default: keyring]
    #[arg(
        long,
        global = true,
        env = "CRMAUTH_STORE",
        value_enum,
        value_name = "STORE"
    )]
    pub store: Option<StoreKind>,

    /// Log each HTTP request (method, URL, status, time) on stderr, secrets redacted
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    pub verbose: bool,

    /// Print only errors on stderr
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Seconds a whole HTTP request may take [default: 30]
    #[arg(long, global = true, env = "CRMAUTH_TIMEOUT", value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: Option<u64>,

    /// Extra CA certificate (PEM) to trust, for private servers
    #[arg(long, global = true, env = "CRMAUTH_CA_BUNDLE", value_name = "FILE")]
    pub cacert: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log in and store the credential (password grant, client credentials, or auth token)
    Login(LoginArgs),
    /// Get a new access token from the stored refresh token
    Refresh,
    /// Manage static API keys
    #[command(subcommand)]
    Apikey(ApikeyCommand),
    /// Manage Vertical CRM auth tokens
    #[command(subcommand)]
    Authtoken(AuthtokenCommand),
    /// Print the current credential for scripts, refreshing it first when needed
    Token(TokenArgs),
    /// Show what is stored for the profile (never a secret)
    Whoami(WhoamiArgs),
    /// Run curl with the profile's Authorization header added
    Curl(CurlArgs),
    /// Forget the profile's secrets and the profile
    Logout(LogoutArgs),
    /// List profiles, or set the default one
    Profiles(ProfilesArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Provider of the profile (asked for on a terminal when missing)
    #[arg(long, value_enum)]
    pub provider: Option<ProviderKind>,
    /// Base URL of the API (Virtuous: https://api.virtuoussoftware.com)
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// User name or email
    #[arg(long, value_name = "USER")]
    pub username: Option<String>,
    /// Read the password from standard input [env: CRMAUTH_PASSWORD]
    #[arg(long)]
    pub password_stdin: bool,
    /// Two-factor code (Virtuous) [env: CRMAUTH_OTP]
    #[arg(long, value_name = "CODE")]
    pub otp: Option<String>,
    /// OAuth client id (Virto; without --username: client_credentials grant)
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// Read the client secret from standard input [env: CRMAUTH_CLIENT_SECRET]
    #[arg(long)]
    pub client_secret_stdin: bool,
    /// Extra OAuth scope (repeatable)
    #[arg(long, value_name = "SCOPE")]
    pub scope: Vec<String>,
    /// Display name of a generated Vertical auth token
    #[arg(long, value_name = "NAME")]
    pub display_name: Option<String>,
    /// Allow a plain http:// URL to a host that is not loopback
    #[arg(long)]
    pub allow_http: bool,
}

#[derive(Debug, Subcommand)]
pub enum ApikeyCommand {
    /// Store a static API key for the profile (sent as Bearer)
    Set(ApikeySetArgs),
}

#[derive(Debug, Args)]
pub struct ApikeySetArgs {
    /// Provider of the profile [default: the profile's, else virtuous]
    #[arg(long, value_enum)]
    pub provider: Option<ProviderKind>,
    /// Base URL of the API
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// Read the key from standard input [env: CRMAUTH_API_KEY]
    #[arg(long)]
    pub key_stdin: bool,
    /// Allow a plain http:// URL to a host that is not loopback
    #[arg(long)]
    pub allow_http: bool,
}

#[derive(Debug, Subcommand)]
pub enum AuthtokenCommand {
    /// Generate and store a permanent Vertical CRM auth token
    Generate(AuthtokenGenerateArgs),
    /// Delete the stored auth token on the server, then locally
    Delete,
}

#[derive(Debug, Args)]
pub struct AuthtokenGenerateArgs {
    /// Base URL of the Vertical CRM
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// Email of the user
    #[arg(long, value_name = "EMAIL")]
    pub username: Option<String>,
    /// Read the password from standard input [env: CRMAUTH_PASSWORD]
    #[arg(long)]
    pub password_stdin: bool,
    /// Name the token gets on the server [default: crmauth]
    #[arg(long, value_name = "NAME")]
    pub display_name: Option<String>,
    /// Allow a plain http:// URL to a host that is not loopback
    #[arg(long)]
    pub allow_http: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TokenFormat {
    /// The token and a newline, nothing else
    Raw,
    /// The whole header line: 'Authorization: ...'
    Header,
    /// token, type, header and expiry as JSON
    Json,
    /// CRMAUTH_TOKEN='...' and CRMAUTH_AUTHORIZATION='...' lines for eval
    Env,
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    /// Output format
    #[arg(long, value_enum, default_value = "raw")]
    pub format: TokenFormat,
    /// Refresh first when the token expires within this time (90s, 5m, 2h, 1d, or seconds)
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub min_valid: Duration,
}

#[derive(Debug, Args)]
pub struct WhoamiArgs {
    /// Print JSON
    #[arg(long)]
    pub json: bool,
    /// Ask the server whether the credential still works
    #[arg(long)]
    pub verify: bool,
    /// With --verify: refresh first when the token expires within this time
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub min_valid: Duration,
}

#[derive(Debug, Args)]
pub struct CurlArgs {
    /// Arguments passed to curl unchanged; a URL starting with '/' is relative to the profile URL
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "CURL ARGS"
    )]
    pub args: Vec<OsString>,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// Log out of every profile
    #[arg(long)]
    pub all: bool,
    /// First invalidate the credential on the server, where the provider allows it
    #[arg(long)]
    pub revoke: bool,
}

#[derive(Debug, Args)]
pub struct ProfilesArgs {
    /// Print JSON
    #[arg(long)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Option<ProfilesCommand>,
}

#[derive(Debug, Subcommand)]
pub enum ProfilesCommand {
    /// Make NAME the default profile
    Use {
        /// Profile name
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// Shell to generate for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Parses the command line of this process; see [`parse_from`].
pub fn parse() -> Result<Cli, clap::Error> {
    parse_from(std::env::args_os().collect())
}

/// Parses a command line. Everything after the `curl` subcommand belongs to
/// curl, even what looks like a crmauth option: clap would take the `-v` of
/// `crmauth curl -v /api/x` as the global `--verbose`. So clap parses the
/// command line only up to the first `curl` that it reads as the subcommand
/// (not `-p curl`), and the rest goes to curl untouched.
pub fn parse_from(argv: Vec<OsString>) -> Result<Cli, clap::Error> {
    for (index, arg) in argv.iter().enumerate().skip(1) {
        if arg != "curl" {
            continue;
        }
        if let Ok(mut cli) = Cli::try_parse_from(&argv[..=index])
            && let Command::Curl(curl) = &mut cli.command
        {
            curl.args = argv[index + 1..].to_vec();
            return Ok(cli);
        }
    }
    Cli::try_parse_from(argv)
}

/// `90s`, `5m`, `2h`, `1d`, or bare seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Ok(Duration::from_secs(seconds));
    }
    humantime::parse_duration(text)
        .map_err(|_| format!("'{text}' is not a duration (try 90s, 5m, 2h, 1d or seconds)"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn durations_accept_units_and_bare_seconds() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_duration("1d"), Ok(Duration::from_secs(86400)));
        assert_eq!(parse_duration("45"), Ok(Duration::from_secs(45)));
        assert!(parse_duration("soon").is_err());
    }

    fn parse(line: &str) -> Cli {
        parse_from(line.split(' ').map(OsString::from).collect()).expect("parses")
    }

    fn curl_args(cli: &Cli) -> Vec<&str> {
        match &cli.command {
            Command::Curl(curl) => curl.args.iter().map(|a| a.to_str().unwrap()).collect(),
            other => panic!("not curl: {other:?}"),
        }
    }

    #[test]
    fn everything_after_curl_is_curls() {
        let cli = parse("crmauth -q -p prod curl -v -q -p x --store file /api/x");
        assert_eq!(
            curl_args(&cli),
            ["-v", "-q", "-p", "x", "--store", "file", "/api/x"]
        );
        assert!(cli.global.quiet && !cli.global.verbose);
        assert_eq!(cli.global.profile.as_deref(), Some("prod"));
        assert_eq!(cli.global.store, None);
    }

    #[test]
    fn curl_as_an_option_value_is_not_the_subcommand() {
        let cli = parse("crmauth -p curl --config-dir curl curl -- curl");
        assert_eq!(cli.global.profile.as_deref(), Some("curl"));
        assert_eq!(curl_args(&cli), ["--", "curl"]);
        assert!(matches!(
            parse("crmauth login --url curl").command,
            Command::Login(_)
        ));
        assert!(curl_args(&parse("crmauth curl")).is_empty());
    }
}
