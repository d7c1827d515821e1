
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'crmauth' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'crmauth'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'crmauth' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds a whole HTTP request may take [default: 30]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, for private servers')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in and store the credential (password grant, client credentials, or auth token)')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Get a new access token from the stored refresh token')
            [CompletionResult]::new('apikey', 'apikey', [CompletionResultType]::ParameterValue, 'Manage static API keys')
            [CompletionResult]::new('authtoken', 'authtoken', [CompletionResultType]::ParameterValue, 'Manage Vertical CRM auth tokens')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print the current credential for scripts, refreshing it first when needed')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Show what is stored for the profile (never a secret)')
            [CompletionResult]::new('curl', 'curl', [CompletionResultType]::ParameterValue, 'Run curl with the profile''s Authorization header added')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with the profile''s token and header in its environment')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the config dir, secret store, profiles, curl and proxies, and say how to fix what fails')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget the profile''s secrets and the profile')
            [CompletionResult]::new('profiles', 'profiles', [CompletionResultType]::ParameterValue, 'List profiles, or set the default one')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'crmauth;login' {
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Provider of the profile (asked for on a terminal when missing)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Base URL of the API (Virtuous: https://api.virtuoussoftware.com)')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'User name or email')
            [CompletionResult]::new('--otp', '--otp', [CompletionResultType]::ParameterName, 'Two-factor code (Virtuous) [env: CRMAUTH_OTP]')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'OAuth client id (Virto; without --username: client_credentials grant)')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Extra OAuth scope (repeatable)')
            [CompletionResult]::new('--display-name', '--display-name', [CompletionResultType]::ParameterName, 'Display name of a generated Vertical auth token')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds a whole HTTP request may take [default: 30]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, for private servers')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input [env: CRMAUTH_PASSWORD]')
            [CompletionResult]::new('--client-secret-stdin', '--client-secret-stdin', [CompletionResultType]::ParameterName, 'Read the client secret from standard input [env: CRMAUTH_CLIENT_SECRET]')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow a plain http:// URL to a host that is not loopback')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crmauth;refresh' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds a whole HTTP request may take [default: 30]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, for private servers')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crmauth;apikey' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds a whole HTTP request may take [default: 30]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, for private servers')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Store a static API key for the profile')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'crmauth;apikey;set' {
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Provider of the profile: virtuous or virto [default: the profile''s; asked on a terminal]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Base URL of the API')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds a whole HTTP request may take [default: 30]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, for private servers')
            [CompletionResult]::new('--key-stdin', '--key-stdin', [CompletionResultType]::ParameterName, 'Read the key from standard input [env: CRMAUTH_API_KEY]')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow a plain http:// URL to a host that is not loopback')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crmauth;apikey;help' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Store a static API key for the profile')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'crmauth;apikey;help;set' {
            break
        }
        'crmauth;apikey;help;help' {
            break
        }
        'crmauth;authtoken' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds a whole HTTP request may take [default: 30]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, for private servers')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Generate and store a permanent Vertical CRM auth token')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete the stored auth token on the server, then locally')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'crmauth;authtoken;generate' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Base URL of the Vertical CRM')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Email of the user')
            [CompletionResult]::new('--display-name', '--display-name', [CompletionResultType]::ParameterName, 'Name the token gets on the server [default: crmauth]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds a whole HTTP request may take [default: 30]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, for private servers')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input [env: CRMAUTH_PASSWORD]')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow a plain http:// URL to a host that is not loopback')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crmauth;authtoken;delete' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds a whole HTTP request may take [default: 30]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, for private servers')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crmauth;authtoken;help' {
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Generate and store a permanent Vertical CRM auth token')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete the stored auth token on the server, then locally')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'crmauth;authtoken;help;generate' {
            break
        }
        'crmauth;authtoken;help;delete' {
            break
        }
        'crmauth;authtoken;help;help' {
            break
        }
        'crmauth;token' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--min-valid', '--min-valid', [CompletionResultType]::ParameterName, 'Refresh first when the token expires within this time (90s, 5m, 2h, 1d, or seconds)')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds a whole HTTP request may take [default: 30]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, for private servers')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crmauth;whoami' {
            [CompletionResult]::new('--min-valid', '--min-valid', [CompletionResultType]::ParameterName, 'With --verify: refresh first when the token expires within this time')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds a whole HTTP request may take [default: 30]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, for private servers')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Ask the server whether the credential still works')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crmauth;curl' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds a whole HTTP request may take [default: 30]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, for private servers')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            break
        }
        'crmauth;exec' {
            [CompletionResult]::new('--min-valid', '--min-valid', [CompletionResultType]::ParameterName, 'Refresh first when the token expires within this time (90s, 5m, 2h, 1d, or seconds)')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds a whole HTTP request may take [default: 30]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, for private servers')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crmauth;doctor' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds a whole HTTP request may take [default: 30]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, for private servers')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON: {"ok", "checks": [{"name", "ok", "detail", "fix"}]}')
            [CompletionResult]::new('--online', '--online', [CompletionResultType]::ParameterName, 'Also reach each profile''s server and compare its clock with this machine''s')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crmauth;logout' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds a whole HTTP request may take [default: 30]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, for private servers')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Log out of every profile')
            [CompletionResult]::new('--revoke', '--revoke', [CompletionResultType]::ParameterName, 'First invalidate the credential on the server, where the provider allows it')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crmauth;profiles' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds a whole HTTP request may take [default: 30]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, for private servers')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make NAME the default profile')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'crmauth;profiles;use' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds a whole HTTP request may take [default: 30]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, for private servers')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crmauth;profiles;help' {
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make NAME the default profile')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'crmauth;profiles;help;use' {
            break
        }
        'crmauth;profiles;help;help' {
            break
        }
        'crmauth;completions' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the default profile, else ''default'']')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where secrets are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds a whole HTTP request may take [default: 30]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust, for private servers')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crmauth;help' {
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in and store the credential (password grant, client credentials, or auth token)')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Get a new access token from the stored refresh token')
            [CompletionResult]::new('apikey', 'apikey', [CompletionResultType]::ParameterValue, 'Manage static API keys')
            [CompletionResult]::new('authtoken', 'authtoken', [CompletionResultType]::ParameterValue, 'Manage Vertical CRM auth tokens')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print the current credential for scripts, refreshing it first when needed')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Show what is stored for the profile (never a secret)')
            [CompletionResult]::new('curl', 'curl', [CompletionResultType]::ParameterValue, 'Run curl with the profile''s Authorization header added')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with the profile''s token and header in its environment')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the config dir, secret store, profiles, curl and proxies, and say how to fix what fails')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget the profile''s secrets and the profile')
            [CompletionResult]::new('profiles', 'profiles', [CompletionResultType]::ParameterValue, 'List profiles, or set the default one')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'crmauth;help;login' {
            break
        }
        'crmauth;help;refresh' {
            break
        }
        'crmauth;help;apikey' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Store a static API key for the profile')
            break
        }
        'crmauth;help;apikey;set' {
            break
        }
        'crmauth;help;authtoken' {
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Generate and store a permanent Vertical CRM auth token')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete the stored auth token on the server, then locally')
            break
        }
        'crmauth;help;authtoken;generate' {
            break
        }
        'crmauth;help;authtoken;delete' {
            break
        }
        'crmauth;help;token' {
            break
        }
        'crmauth;help;whoami' {
            break
        }
        'crmauth;help;curl' {
            break
        }
        'crmauth;help;exec' {
            break
        }
        'crmauth;help;doctor' {
            break
        }
        'crmauth;help;logout' {
            break
        }
        'crmauth;help;profiles' {
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make NAME the default profile')
            break
        }
        'crmauth;help;profiles;use' {
            break
        }
        'crmauth;help;completions' {
            break
        }
        'crmauth;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
