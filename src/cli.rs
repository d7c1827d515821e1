//! The command line, as clap derive types. Also the source of the generated
//! completions/ and man/ pages.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, CommandFactory as _, FromArgMatches as _, Parser, Subcommand, ValueEnum};
use clap_complete::engine::ArgValueCompleter;

use crate::completion;

use crate::provider::ProviderKind;
use crate::store::StoreKind;

/// The exit codes, written once: `--help` shows this text, the man page's
/// EXIT STATUS is made from it, and tests/generated_docs.rs checks that the
/// README's table says the same. A line starting with spaces continues the
/// meaning above it.
macro_rules! exit_codes {
    () => {
        "Exit codes:
  0  success
  1  any other error
  2  usage error (bad flags, missing value in non-interactive mode, Ctrl-D at a prompt, Esc
     at the provider select)
  3  not logged in: no credential stored for the profile
  4  the server rejected the credentials (invalid_grant, 401, RESULT=FALSE, expired refresh
     token): log in again
  5  network or server trouble: unreachable, timeout, 5xx, an answer that is not what the
     provider documents
  6  the secret store is unavailable or locked"
    };
}

pub const EXIT_CODES: &str = exit_codes!();

/// `(code, meaning)` for each exit code, continuation lines joined.
pub fn exit_code_table() -> Vec<(&'static str, String)> {
    let mut table: Vec<(&'static str, String)> = Vec::new();
    for line in EXIT_CODES.lines().skip(1) {
        match line.trim().split_once("  ") {
            Some((code, meaning)) if code.chars().all(|c| c.is_ascii_digit()) => {
                table.push((code, meaning.trim().to_string()));
            }
            _ => {
                if let Some((_, meaning)) = table.last_mut() {
                    meaning.push(' ');
                    meaning.push_str(line.trim());
                }
            }
        }
    }
    table
}

/// Every environment variable crmauth reads, for `--help` and the man page.
pub const ENVIRONMENT: &[(&str, &str)] = &[
    ("CRMAUTH_PROFILE", "profile to use, like --profile"),
    (
        "CRMAUTH_CONFIG_DIR",
        "directory of profiles.json and lock files, like --config-dir",
    ),
    (
        "CRMAUTH_STORE",
        "where secrets are kept: keyring, file or vault, like --store",
    ),
    (
        "CRMAUTH_VAULT_MOUNT, CRMAUTH_VAULT_PATH",
        "where in Vault, like --vault-mount and --vault-path",
    ),
    (
        "VAULT_ADDR, VAULT_TOKEN, VAULT_CACERT, VAULT_NAMESPACE",
        "with --store vault: the Vault's address, its token (else ~/.vault-token), its CA \
         and namespace; OpenBao's BAO_ADDR, BAO_TOKEN, BAO_CACERT, BAO_NAMESPACE too",
    ),
    (
        "CRMAUTH_TIMEOUT",
        "seconds a whole HTTP request may take, like --timeout",
    ),
    (
        "CRMAUTH_CA_BUNDLE",
        "extra CA certificate (PEM) to trust, like --cacert",
    ),
    (
        "CRMAUTH_KEYRING_TIMEOUT",
        "seconds to wait for the OS keyring [default: 5, or 60 when stderr is a terminal]",
    ),
    (
        "CRMAUTH_PASSWORD",
        "password for login and authtoken generate (instead of a prompt)",
    ),
    (
        "CRMAUTH_CLIENT_SECRET",
        "OAuth client secret for login --client-id",
    ),
    ("CRMAUTH_OTP", "Virtuous two-factor code, like --otp"),
    (
        "CRMAUTH_API_KEY",
        "API key for apikey set (instead of a prompt)",
    ),
    (
        "CRMAUTH_CURL",
        "curl program that 'crmauth curl' runs [default: curl on PATH]",
    ),
    (
        "HTTPS_PROXY, HTTP_PROXY, NO_PROXY",
        "proxy settings, honoured for every request",
    ),
    ("SSL_CERT_FILE", "replaces the system trust store"),
    ("NO_COLOR", "no colour in prompts"),
];

/// The files crmauth reads and writes, for the man page.
pub const FILES: &[(&str, &str)] = &[
    (
        "<config dir>/profiles.json",
        "profiles and their non-secret settings (provider, URL, user, client id, expiry); \
         the config dir is --config-dir, else $CRMAUTH_CONFIG_DIR, else the platform config \
         dir + /crmauth (~/.config/crmauth on Linux)",
    ),
    (
        "<config dir>/credentials.json",
        "secrets with --store file, mode 0600 (refused when readable by group or others)",
    ),
    (
        "<config dir>/locks/<profile>.lock",
        "one lock file per profile: its logins, refreshes and logouts take turns, so a \
         refresh is single-flight",
    ),
    (
        "<config dir>/profiles.lock, credentials.lock",
        "lock files for the read-modify-write of profiles.json and credentials.json",
    ),
    (
        "~/.vault-token",
        "with --store vault, the Vault token when VAULT_TOKEN and BAO_TOKEN are not set",
    ),
    (
        "OS keyring",
        "secrets with --store keyring (the default): service 'crmauth' (or \
         'crmauth:<config dir>' with a non-default config dir), account (Secret Service \
         attribute 'username') = profile name",
    ),
];

const MAIN_EXAMPLES: &str = "\
Examples:
  crmauth login                              # asks for provider, URL, user, password
  TOKEN=$(crmauth token)                     # refreshed first when about to expire
  crmauth curl /api/Contact/Search -d @q.json
  crmauth -p prod whoami
  crmauth profiles";

const MAIN_AFTER_LONG_HELP: &str = concat!(
    "Examples:
  # Log in; on a terminal crmauth asks for what is missing
  crmauth login
  crmauth login --provider virtuous --username ann@example.org
  crmauth login -p shop --provider virto --url https://shop.example.com --username admin

  # Use the credential in scripts and with curl
  TOKEN=$(crmauth token)
  crmauth token --format header
  crmauth curl /api/Contact/Search -d @query.json

  # Look at what is stored, and switch profiles
  crmauth whoami
  crmauth profiles
  crmauth profiles use shop

",
    "Environment:
  CRMAUTH_PROFILE, CRMAUTH_CONFIG_DIR, CRMAUTH_STORE, CRMAUTH_TIMEOUT, CRMAUTH_CA_BUNDLE
      defaults of the global options of the same names
  CRMAUTH_PASSWORD, CRMAUTH_CLIENT_SECRET, CRMAUTH_OTP, CRMAUTH_API_KEY
      secrets and codes for non-interactive logins
  CRMAUTH_CURL      curl program that 'crmauth curl' runs
  VAULT_ADDR, VAULT_TOKEN, VAULT_CACERT, VAULT_NAMESPACE (or BAO_*)
      the Vault of --store vault
  CRMAUTH_KEYRING_TIMEOUT  seconds to wait for the OS keyring (5; 60 on a terminal)
  HTTPS_PROXY, HTTP_PROXY, NO_PROXY are honoured.

",
    exit_codes!()
);

#[derive(Debug, Parser)]
#[command(
    name = "crmauth",
    // Not argv[0]: on Windows that is `crmauth.exe`, and usage lines and hints
    // name the command people type.
    bin_name = "crmauth",
    version,
    about = "Obtain, refresh, store and hand out API credentials for Virtuous, Virto Commerce and Vertical CRM",
    long_about = "Obtain, refresh, store and hand out API credentials for Virtuous CRM, Virto \
Commerce and Vertical CRM.

crmauth logs in once, keeps the credential in the OS keyring (or, with --store file, in a \
0600 credentials.json in the config dir), refreshes it when it is about to expire, and \
hands it to scripts ('crmauth token') and curl ('crmauth curl') as an Authorization \
header. Passwords are never stored. Non-secret settings live in profiles.json in the \
config dir; each profile is one login.",
    after_help = MAIN_EXAMPLES,
    after_long_help = MAIN_AFTER_LONG_HELP,
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
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Profile to use [default: the default profile, else 'default']
    #[arg(
        short,
        long,
        global = true,
        env = "CRMAUTH_PROFILE",
        value_name = "NAME",
        add = ArgValueCompleter::new(completion::profile_names)
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
    #[arg(long, global = true, env = "CRMAUTH_TIMEOUT", value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: Option<u64>,

    /// Extra CA certificate (PEM) to trust, for private servers
    #[arg(long, global = true, env = "CRMAUTH_CA_BUNDLE", value_name = "FILE")]
    pub cacert: Option<PathBuf>,

    /// With --store vault: the KV version 2 engine's mount
    #[arg(
        long,
        global = true,
        env = "CRMAUTH_VAULT_MOUNT",
        value_name = "MOUNT",
        default_value = crate::store::vault::DEFAULT_MOUNT
    )]
    pub vault_mount: String,

    /// With --store vault: the folder of the records (profile P: <mount>/data/<path>/P)
    #[arg(
        long,
        global = true,
        env = "CRMAUTH_VAULT_PATH",
        value_name = "PATH",
        default_value = crate::store::vault::DEFAULT_PATH
    )]
    pub vault_path: String,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Log in and store the credential (password grant, client credentials, or auth token)
    ///
    /// Virtuous and Virto: an OAuth password grant (Virtuous asks for a two-factor code when
    /// the account has one); Virto with --client-id and no --username: the client_credentials
    /// grant. Vertical: generates a permanent auth token (as 'authtoken generate').
    ///
    /// On a terminal crmauth asks for whatever is missing (provider, URL, user name, hidden
    /// password, 2FA code, client secret); otherwise the values come from flags and
    /// CRMAUTH_PASSWORD, CRMAUTH_CLIENT_SECRET, CRMAUTH_OTP, and a missing one is an error.
    /// The access and refresh tokens (and the client secret) go to the secret store, the rest
    /// to profiles.json; the password is never stored. The first login sets the default
    /// profile. Logging in again to an existing profile reuses its provider, URL and user.
    #[command(after_help = LOGIN_EXAMPLES)]
    Login(LoginArgs),
    /// Get a new access token from the stored refresh token
    ///
    /// Replaces the access and refresh token together (a refresh token may rotate).
    /// Client-credentials profiles re-run their grant with the stored client secret. API keys
    /// and Vertical auth tokens do not expire: there is nothing to refresh (exit 2). 'token'
    /// and 'curl' refresh by themselves when needed; this command forces it.
    #[command(after_help = REFRESH_EXAMPLES)]
    Refresh,
    /// Manage static API keys
    #[command(subcommand, after_help = APIKEY_SET_EXAMPLES)]
    Apikey(ApikeyCommand),
    /// Manage Vertical CRM auth tokens
    #[command(subcommand, after_help = AUTHTOKEN_EXAMPLES)]
    Authtoken(AuthtokenCommand),
    /// Print the current credential for scripts, refreshing it first when needed
    ///
    /// Prints only the credential on stdout (raw: the token and a newline), so that
    /// TOKEN=$(crmauth token) works. When the access token expires within --min-valid it is
    /// refreshed first, silently; if that fails while the token is still valid, the current
    /// token is printed and a warning goes to stderr.
    #[command(after_help = TOKEN_EXAMPLES)]
    Token(TokenArgs),
    /// Show what is stored for the profile (never a secret)
    ///
    /// Provider, URL, user, credential kind, where it is stored, when it was obtained and
    /// when it expires, scopes, whether a refresh token exists, and the claims of a JWT
    /// access token. --verify asks the server whether the credential still works (exit 4
    /// when it does not).
    #[command(after_help = WHOAMI_EXAMPLES)]
    Whoami(WhoamiArgs),
    /// Run curl with the profile's Authorization header added
    ///
    /// Everything after 'curl' goes to curl unchanged; global options go before it. A URL
    /// argument that starts with '/' is taken relative to the profile URL; a plain http://
    /// URL to a host that is not loopback is refused (unless the profile was logged in with
    /// --allow-http). The token is refreshed first as 'token' does, and reaches curl through
    /// an inherited descriptor or a 0600 temporary file, never through a command line. A CA
    /// given with --cacert or CRMAUTH_CA_BUNDLE is passed on as curl's --cacert. Your stdin
    /// stays curl's stdin; the exit code is curl's; 'crmauth curl --help' is curl's help.
    /// CRMAUTH_CURL names another curl program.
    #[command(after_help = CURL_EXAMPLES, disable_help_flag = true, disable_version_flag = true)]
    Curl(CurlArgs),
    /// Run a command with the profile's token and header in its environment
    ///
    /// CMD gets CRMAUTH_TOKEN, CRMAUTH_HEADER ('Name: value') and, when the header is
    /// Authorization, CRMAUTH_AUTHORIZATION (its value), refreshed first as 'token' does.
    /// The secret inputs CRMAUTH_PASSWORD, CRMAUTH_CLIENT_SECRET, CRMAUTH_API_KEY and
    /// CRMAUTH_OTP are not passed on. CMD's stdin, stdout, stderr, signals and exit code are
    /// its own; a CMD that cannot be found exits 127, as in a shell. Unlike
    /// 'eval "$(crmauth token --format env)"', the token stays with this one command.
    #[command(after_help = EXEC_EXAMPLES)]
    Exec(ExecArgs),
    /// Check the config dir, secret store, profiles, curl and proxies, and say how to fix
    /// what fails
    ///
    /// One line per check, and under each failure the command that fixes it: the config dir
    /// (owner, permissions), profiles.json, the secret store (is a Secret Service on the
    /// session bus, which program provides it, is its default collection locked; the file
    /// store's permissions), each profile's credential and when its access and refresh
    /// tokens expire, curl and its version, and the proxy each profile goes through. With
    /// --online, each profile's server is asked for its clock (a skew over 60 s breaks
    /// expiry times). Exit 0 when every check passes, 1 otherwise. Never prints a secret.
    #[command(after_help = DOCTOR_EXAMPLES)]
    Doctor(DoctorArgs),
    /// Forget the profile's secrets and the profile
    ///
    /// Removes the secrets from the store and the profile from profiles.json. With --revoke
    /// the credential is first invalidated on the server: Virto revokes the refresh token,
    /// Vertical deletes the auth token; Virtuous has no revocation, so only the local copy
    /// goes.
    #[command(after_help = LOGOUT_EXAMPLES)]
    Logout(LogoutArgs),
    /// List profiles, or set the default one
    ///
    /// The table shows each profile's provider, URL, user, credential kind and expiry; '*'
    /// marks the default profile, used when neither -p nor CRMAUTH_PROFILE names one.
    #[command(after_help = PROFILES_EXAMPLES)]
    Profiles(ProfilesArgs),
    /// Print a shell completion script
    ///
    /// Prints the script on stdout; where to put it depends on the shell (see the
    /// examples). The same scripts are in completions/ in the source tree.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
}

const LOGIN_EXAMPLES: &str = "\
Examples:
  # On a terminal: choose the provider, then answer the prompts
  crmauth login

  # Virtuous (default URL), password and 2FA code asked for
  crmauth login --provider virtuous --username ann@example.org

  # Virto Commerce, as a user or as an OAuth client
  crmauth login -p shop --provider virto --url https://shop.example.com --username admin
  printf '%s' \"$SECRET\" | crmauth login -p shop-ci --provider virto \\
      --url https://shop.example.com --client-id ci --client-secret-stdin

  # Vertical CRM: generate a permanent auth token
  crmauth login -p vcrm --provider vertical --url https://crm.example.com --username ann@example.org

  # Non-interactive, e.g. in CI
  CRMAUTH_PASSWORD=... crmauth login --provider virtuous --username ann@example.org --otp 123456";

const REFRESH_EXAMPLES: &str = "\
Examples:
  crmauth refresh
  crmauth -p shop refresh";

const APIKEY_SET_EXAMPLES: &str = "\
Examples:
  # Asks for the provider, the URL and the key (hidden)
  crmauth apikey set

  # From a variable or a password manager, without a prompt
  printf '%s' \"$VIRTUOUS_API_KEY\" | crmauth -p ci apikey set --provider virtuous --key-stdin
  pass show shop/apikey | crmauth -p shop apikey set --provider virto \\
      --url https://shop.example.com --key-stdin";

const AUTHTOKEN_EXAMPLES: &str = "\
Examples:
  crmauth -p vcrm authtoken generate --url https://crm.example.com --username ann@example.org
  crmauth -p vcrm authtoken delete";

const AUTHTOKEN_GENERATE_EXAMPLES: &str = "\
Examples:
  crmauth -p vcrm authtoken generate --url https://crm.example.com --username ann@example.org
  CRMAUTH_PASSWORD=... crmauth authtoken generate --url https://crm.example.com \\
      --username ann@example.org --display-name nightly-export";

const AUTHTOKEN_DELETE_EXAMPLES: &str = "\
Examples:
  crmauth -p vcrm authtoken delete";

const TOKEN_EXAMPLES: &str = "\
Examples:
  TOKEN=$(crmauth token)
  curl -H \"$(crmauth token --format header)\" https://api.virtuoussoftware.com/api/Contact/1
  eval \"$(crmauth -p shop token --format env)\"     # sets CRMAUTH_TOKEN, CRMAUTH_HEADER, ...
  crmauth token --format json --min-valid 10m";

const WHOAMI_EXAMPLES: &str = "\
Examples:
  crmauth whoami
  crmauth -p shop whoami --verify
  crmauth whoami --json | jq -r .expires_at";

const CURL_EXAMPLES: &str = "\
Examples:
  crmauth curl /api/Organization/Current
  crmauth -p shop curl -sS /api/platform/security/currentuser
  crmauth curl -X POST /api/Contact/Search -H 'Content-Type: application/json' -d @query.json";

const EXEC_EXAMPLES: &str = "\
Examples:
  crmauth exec -- sh -c 'curl -sS -H \"$CRMAUTH_AUTHORIZATION\" https://api.virtuoussoftware.com/api/Contact/1'
  crmauth -p shop exec --min-valid 10m -- ./nightly-export.py";

const DOCTOR_EXAMPLES: &str = "\
Examples:
  crmauth doctor
  crmauth --store file doctor --online
  crmauth doctor --json | jq -r '.checks[] | select(.ok | not) | .fix'";

const LOGOUT_EXAMPLES: &str = "\
Examples:
  crmauth logout
  crmauth -p shop logout --revoke
  crmauth logout --all
  # the keyring hides or lost the secret (locked KeePassXC, deleted item)
  crmauth -p shop logout --force";

const PROFILES_EXAMPLES: &str = "\
Examples:
  crmauth profiles
  crmauth profiles use shop
  crmauth profiles --json | jq -r '.[].name'";

const PROFILES_USE_EXAMPLES: &str = "\
Examples:
  crmauth profiles use shop";

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  crmauth completions bash > ~/.local/share/bash-completion/completions/crmauth
  crmauth completions zsh > ~/.zfunc/_crmauth     # with fpath+=~/.zfunc in ~/.zshrc
  crmauth completions fish > ~/.config/fish/completions/crmauth.fish
  crmauth completions powershell >> $PROFILE
  crmauth completions elvish > ~/.config/elvish/lib/crmauth.elv";

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
    /// Store a static API key for the profile
    ///
    /// Virtuous API keys are sent as 'Authorization: Bearer <key>', Virto Commerce API keys
    /// as 'api_key: <key>'. Asks for the provider, the URL (Virtuous: the default is shown)
    /// and the key, hidden, on a terminal; otherwise the key comes from --key-stdin or
    /// CRMAUTH_API_KEY. The key goes to the secret store, the rest to profiles.json. API
    /// keys do not expire.
    #[command(after_help = APIKEY_SET_EXAMPLES)]
    Set(ApikeySetArgs),
}

#[derive(Debug, Args)]
pub struct ApikeySetArgs {
    /// Provider of the profile: virtuous or virto [default: the profile's; asked on a
    /// terminal]
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
    ///
    /// Sends the email and password to <URL>/crm/apiauthtoken.do and stores the token it
    /// answers with; the password is never stored. The token is sent bare, without a scheme,
    /// in the Authorization header.
    #[command(after_help = AUTHTOKEN_GENERATE_EXAMPLES)]
    Generate(AuthtokenGenerateArgs),
    /// Delete the stored auth token on the server, then locally
    ///
    /// When the server says the token is already invalid, it is removed locally too, with a
    /// warning; any other failure keeps it.
    #[command(after_help = AUTHTOKEN_DELETE_EXAMPLES)]
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
    /// The whole header line: 'Authorization: ...' (Virto API keys: 'api_key: ...')
    Header,
    /// token, type, header and expiry as JSON
    Json,
    /// CRMAUTH_TOKEN='...', CRMAUTH_HEADER='Name: value' and (for an Authorization
    /// header) CRMAUTH_AUTHORIZATION='...' lines for eval
    Env,
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    /// Output format
    #[arg(long, value_enum, default_value = "raw")]
    pub format: TokenFormat,
    /// Refresh first when the token expires within this time (90s, 5m, 2h, 1d, or seconds)
    #[arg(long, value_name = "DURATION", default_value = DEFAULT_MIN_VALID, value_parser = parse_duration)]
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
    #[arg(long, value_name = "DURATION", default_value = DEFAULT_MIN_VALID, value_parser = parse_duration)]
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
pub struct ExecArgs {
    /// Refresh first when the token expires within this time (90s, 5m, 2h, 1d, or seconds)
    #[arg(long, value_name = "DURATION", default_value = DEFAULT_MIN_VALID, value_parser = parse_duration)]
    pub min_valid: Duration,
    /// The command to run and its arguments
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "CMD"
    )]
    pub command: Vec<OsString>,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Print JSON: {"ok", "checks": [{"name", "ok", "detail", "fix"}]}
    #[arg(long)]
    pub json: bool,
    /// Also reach each profile's server and compare its clock with this machine's
    #[arg(long)]
    pub online: bool,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// Log out of every profile
    #[arg(long)]
    pub all: bool,
    /// First invalidate the credential on the server, where the provider allows it
    #[arg(long)]
    pub revoke: bool,
    /// Forget the profile even when its secret cannot be read (a locked or
    /// unreachable keyring); the keyring item may remain
    #[arg(long)]
    pub force: bool,
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
    #[command(after_help = PROFILES_USE_EXAMPLES)]
    Use {
        /// Profile name
        #[arg(add = ArgValueCompleter::new(completion::profile_names))]
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
        if let Ok(mut cli) = parse_args(&argv[..=index])
            && let Command::Curl(curl) = &mut cli.command
        {
            curl.args = argv[index + 1..].to_vec();
            return Ok(cli);
        }
    }
    parse_args(&argv)
}

/// `Cli::try_parse_from`, except that clap's command tree (hundreds of
/// allocations for all subcommands) is not freed: the process ends soon
/// after, and freeing it was a tenth of `crmauth token`'s instructions.
fn parse_args(argv: &[OsString]) -> Result<Cli, clap::Error> {
    let mut command = Cli::command();
    let parsed = command
        .try_get_matches_from_mut(argv)
        .and_then(|mut matches| Cli::from_arg_matches_mut(&mut matches));
    std::mem::forget(command);
    parsed
}

/// How long a token must stay valid before `token`, `whoami --verify` and
/// `curl` use it without refreshing (DESIGN: 60 s, no extra margin).
pub const DEFAULT_MIN_VALID: &str = "60s";

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
    fn the_default_margin_parses() {
        assert_eq!(
            parse_duration(DEFAULT_MIN_VALID),
            Ok(Duration::from_secs(60))
        );
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
