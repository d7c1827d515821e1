
use builtin;
use str;

set edit:completion:arg-completer[crmauth] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'crmauth'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'crmauth'= {
            cand -p 'Profile to use [default: the default profile, else ''default'']'
            cand --profile 'Profile to use [default: the default profile, else ''default'']'
            cand --config-dir 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]'
            cand --store 'Where secrets are kept [default: keyring]'
            cand --timeout 'Seconds a whole HTTP request may take [default: 30]'
            cand --cacert 'Extra CA certificate (PEM) to trust, for private servers'
            cand -v 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand --verbose 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand login 'Log in and store the credential (password grant, client credentials, or auth token)'
            cand refresh 'Get a new access token from the stored refresh token'
            cand apikey 'Manage static API keys'
            cand authtoken 'Manage Vertical CRM auth tokens'
            cand token 'Print the current credential for scripts, refreshing it first when needed'
            cand whoami 'Show what is stored for the profile (never a secret)'
            cand curl 'Run curl with the profile''s Authorization header added'
            cand exec 'Run a command with the profile''s token and header in its environment'
            cand doctor 'Check the config dir, secret store, profiles, curl and proxies, and say how to fix what fails'
            cand logout 'Forget the profile''s secrets and the profile'
            cand profiles 'List profiles, or set the default one'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'crmauth;login'= {
            cand --provider 'Provider of the profile (asked for on a terminal when missing)'
            cand --url 'Base URL of the API (Virtuous: https://api.virtuoussoftware.com)'
            cand --username 'User name or email'
            cand --otp 'Two-factor code (Virtuous) [env: CRMAUTH_OTP]'
            cand --client-id 'OAuth client id (Virto; without --username: client_credentials grant)'
            cand --scope 'Extra OAuth scope (repeatable)'
            cand --display-name 'Display name of a generated Vertical auth token'
            cand -p 'Profile to use [default: the default profile, else ''default'']'
            cand --profile 'Profile to use [default: the default profile, else ''default'']'
            cand --config-dir 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]'
            cand --store 'Where secrets are kept [default: keyring]'
            cand --timeout 'Seconds a whole HTTP request may take [default: 30]'
            cand --cacert 'Extra CA certificate (PEM) to trust, for private servers'
            cand --password-stdin 'Read the password from standard input [env: CRMAUTH_PASSWORD]'
            cand --client-secret-stdin 'Read the client secret from standard input [env: CRMAUTH_CLIENT_SECRET]'
            cand --allow-http 'Allow a plain http:// URL to a host that is not loopback'
            cand -v 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand --verbose 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crmauth;refresh'= {
            cand -p 'Profile to use [default: the default profile, else ''default'']'
            cand --profile 'Profile to use [default: the default profile, else ''default'']'
            cand --config-dir 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]'
            cand --store 'Where secrets are kept [default: keyring]'
            cand --timeout 'Seconds a whole HTTP request may take [default: 30]'
            cand --cacert 'Extra CA certificate (PEM) to trust, for private servers'
            cand -v 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand --verbose 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crmauth;apikey'= {
            cand -p 'Profile to use [default: the default profile, else ''default'']'
            cand --profile 'Profile to use [default: the default profile, else ''default'']'
            cand --config-dir 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]'
            cand --store 'Where secrets are kept [default: keyring]'
            cand --timeout 'Seconds a whole HTTP request may take [default: 30]'
            cand --cacert 'Extra CA certificate (PEM) to trust, for private servers'
            cand -v 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand --verbose 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand set 'Store a static API key for the profile'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'crmauth;apikey;set'= {
            cand --provider 'Provider of the profile: virtuous or virto [default: the profile''s; asked on a terminal]'
            cand --url 'Base URL of the API'
            cand -p 'Profile to use [default: the default profile, else ''default'']'
            cand --profile 'Profile to use [default: the default profile, else ''default'']'
            cand --config-dir 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]'
            cand --store 'Where secrets are kept [default: keyring]'
            cand --timeout 'Seconds a whole HTTP request may take [default: 30]'
            cand --cacert 'Extra CA certificate (PEM) to trust, for private servers'
            cand --key-stdin 'Read the key from standard input [env: CRMAUTH_API_KEY]'
            cand --allow-http 'Allow a plain http:// URL to a host that is not loopback'
            cand -v 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand --verbose 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crmauth;apikey;help'= {
            cand set 'Store a static API key for the profile'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'crmauth;apikey;help;set'= {
        }
        &'crmauth;apikey;help;help'= {
        }
        &'crmauth;authtoken'= {
            cand -p 'Profile to use [default: the default profile, else ''default'']'
            cand --profile 'Profile to use [default: the default profile, else ''default'']'
            cand --config-dir 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]'
            cand --store 'Where secrets are kept [default: keyring]'
            cand --timeout 'Seconds a whole HTTP request may take [default: 30]'
            cand --cacert 'Extra CA certificate (PEM) to trust, for private servers'
            cand -v 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand --verbose 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand generate 'Generate and store a permanent Vertical CRM auth token'
            cand delete 'Delete the stored auth token on the server, then locally'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'crmauth;authtoken;generate'= {
            cand --url 'Base URL of the Vertical CRM'
            cand --username 'Email of the user'
            cand --display-name 'Name the token gets on the server [default: crmauth]'
            cand -p 'Profile to use [default: the default profile, else ''default'']'
            cand --profile 'Profile to use [default: the default profile, else ''default'']'
            cand --config-dir 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]'
            cand --store 'Where secrets are kept [default: keyring]'
            cand --timeout 'Seconds a whole HTTP request may take [default: 30]'
            cand --cacert 'Extra CA certificate (PEM) to trust, for private servers'
            cand --password-stdin 'Read the password from standard input [env: CRMAUTH_PASSWORD]'
            cand --allow-http 'Allow a plain http:// URL to a host that is not loopback'
            cand -v 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand --verbose 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crmauth;authtoken;delete'= {
            cand -p 'Profile to use [default: the default profile, else ''default'']'
            cand --profile 'Profile to use [default: the default profile, else ''default'']'
            cand --config-dir 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]'
            cand --store 'Where secrets are kept [default: keyring]'
            cand --timeout 'Seconds a whole HTTP request may take [default: 30]'
            cand --cacert 'Extra CA certificate (PEM) to trust, for private servers'
            cand -v 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand --verbose 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crmauth;authtoken;help'= {
            cand generate 'Generate and store a permanent Vertical CRM auth token'
            cand delete 'Delete the stored auth token on the server, then locally'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'crmauth;authtoken;help;generate'= {
        }
        &'crmauth;authtoken;help;delete'= {
        }
        &'crmauth;authtoken;help;help'= {
        }
        &'crmauth;token'= {
            cand --format 'Output format'
            cand --min-valid 'Refresh first when the token expires within this time (90s, 5m, 2h, 1d, or seconds)'
            cand -p 'Profile to use [default: the default profile, else ''default'']'
            cand --profile 'Profile to use [default: the default profile, else ''default'']'
            cand --config-dir 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]'
            cand --store 'Where secrets are kept [default: keyring]'
            cand --timeout 'Seconds a whole HTTP request may take [default: 30]'
            cand --cacert 'Extra CA certificate (PEM) to trust, for private servers'
            cand -v 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand --verbose 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crmauth;whoami'= {
            cand --min-valid 'With --verify: refresh first when the token expires within this time'
            cand -p 'Profile to use [default: the default profile, else ''default'']'
            cand --profile 'Profile to use [default: the default profile, else ''default'']'
            cand --config-dir 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]'
            cand --store 'Where secrets are kept [default: keyring]'
            cand --timeout 'Seconds a whole HTTP request may take [default: 30]'
            cand --cacert 'Extra CA certificate (PEM) to trust, for private servers'
            cand --json 'Print JSON'
            cand --verify 'Ask the server whether the credential still works'
            cand -v 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand --verbose 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crmauth;curl'= {
            cand -p 'Profile to use [default: the default profile, else ''default'']'
            cand --profile 'Profile to use [default: the default profile, else ''default'']'
            cand --config-dir 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]'
            cand --store 'Where secrets are kept [default: keyring]'
            cand --timeout 'Seconds a whole HTTP request may take [default: 30]'
            cand --cacert 'Extra CA certificate (PEM) to trust, for private servers'
            cand -v 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand --verbose 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
        }
        &'crmauth;exec'= {
            cand --min-valid 'Refresh first when the token expires within this time (90s, 5m, 2h, 1d, or seconds)'
            cand -p 'Profile to use [default: the default profile, else ''default'']'
            cand --profile 'Profile to use [default: the default profile, else ''default'']'
            cand --config-dir 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]'
            cand --store 'Where secrets are kept [default: keyring]'
            cand --timeout 'Seconds a whole HTTP request may take [default: 30]'
            cand --cacert 'Extra CA certificate (PEM) to trust, for private servers'
            cand -v 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand --verbose 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crmauth;doctor'= {
            cand -p 'Profile to use [default: the default profile, else ''default'']'
            cand --profile 'Profile to use [default: the default profile, else ''default'']'
            cand --config-dir 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]'
            cand --store 'Where secrets are kept [default: keyring]'
            cand --timeout 'Seconds a whole HTTP request may take [default: 30]'
            cand --cacert 'Extra CA certificate (PEM) to trust, for private servers'
            cand --json 'Print JSON: {"ok", "checks": [{"name", "ok", "detail", "fix"}]}'
            cand --online 'Also reach each profile''s server and compare its clock with this machine''s'
            cand -v 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand --verbose 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crmauth;logout'= {
            cand -p 'Profile to use [default: the default profile, else ''default'']'
            cand --profile 'Profile to use [default: the default profile, else ''default'']'
            cand --config-dir 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]'
            cand --store 'Where secrets are kept [default: keyring]'
            cand --timeout 'Seconds a whole HTTP request may take [default: 30]'
            cand --cacert 'Extra CA certificate (PEM) to trust, for private servers'
            cand --all 'Log out of every profile'
            cand --revoke 'First invalidate the credential on the server, where the provider allows it'
            cand -v 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand --verbose 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crmauth;profiles'= {
            cand -p 'Profile to use [default: the default profile, else ''default'']'
            cand --profile 'Profile to use [default: the default profile, else ''default'']'
            cand --config-dir 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]'
            cand --store 'Where secrets are kept [default: keyring]'
            cand --timeout 'Seconds a whole HTTP request may take [default: 30]'
            cand --cacert 'Extra CA certificate (PEM) to trust, for private servers'
            cand --json 'Print JSON'
            cand -v 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand --verbose 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand use 'Make NAME the default profile'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'crmauth;profiles;use'= {
            cand -p 'Profile to use [default: the default profile, else ''default'']'
            cand --profile 'Profile to use [default: the default profile, else ''default'']'
            cand --config-dir 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]'
            cand --store 'Where secrets are kept [default: keyring]'
            cand --timeout 'Seconds a whole HTTP request may take [default: 30]'
            cand --cacert 'Extra CA certificate (PEM) to trust, for private servers'
            cand -v 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand --verbose 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crmauth;profiles;help'= {
            cand use 'Make NAME the default profile'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'crmauth;profiles;help;use'= {
        }
        &'crmauth;profiles;help;help'= {
        }
        &'crmauth;completions'= {
            cand -p 'Profile to use [default: the default profile, else ''default'']'
            cand --profile 'Profile to use [default: the default profile, else ''default'']'
            cand --config-dir 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]'
            cand --store 'Where secrets are kept [default: keyring]'
            cand --timeout 'Seconds a whole HTTP request may take [default: 30]'
            cand --cacert 'Extra CA certificate (PEM) to trust, for private servers'
            cand -v 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand --verbose 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crmauth;help'= {
            cand login 'Log in and store the credential (password grant, client credentials, or auth token)'
            cand refresh 'Get a new access token from the stored refresh token'
            cand apikey 'Manage static API keys'
            cand authtoken 'Manage Vertical CRM auth tokens'
            cand token 'Print the current credential for scripts, refreshing it first when needed'
            cand whoami 'Show what is stored for the profile (never a secret)'
            cand curl 'Run curl with the profile''s Authorization header added'
            cand exec 'Run a command with the profile''s token and header in its environment'
            cand doctor 'Check the config dir, secret store, profiles, curl and proxies, and say how to fix what fails'
            cand logout 'Forget the profile''s secrets and the profile'
            cand profiles 'List profiles, or set the default one'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'crmauth;help;login'= {
        }
        &'crmauth;help;refresh'= {
        }
        &'crmauth;help;apikey'= {
            cand set 'Store a static API key for the profile'
        }
        &'crmauth;help;apikey;set'= {
        }
        &'crmauth;help;authtoken'= {
            cand generate 'Generate and store a permanent Vertical CRM auth token'
            cand delete 'Delete the stored auth token on the server, then locally'
        }
        &'crmauth;help;authtoken;generate'= {
        }
        &'crmauth;help;authtoken;delete'= {
        }
        &'crmauth;help;token'= {
        }
        &'crmauth;help;whoami'= {
        }
        &'crmauth;help;curl'= {
        }
        &'crmauth;help;exec'= {
        }
        &'crmauth;help;doctor'= {
        }
        &'crmauth;help;logout'= {
        }
        &'crmauth;help;profiles'= {
            cand use 'Make NAME the default profile'
        }
        &'crmauth;help;profiles;use'= {
        }
        &'crmauth;help;completions'= {
        }
        &'crmauth;help;help'= {
        }
    ]
    $completions[$command]
}
