# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_crmauth_global_optspecs
    string join \n p/profile= config-dir= store= v/verbose q/quiet timeout= cacert= h/help V/version
end

function __fish_crmauth_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_crmauth_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_crmauth_using_subcommand
    set -l cmd (__fish_crmauth_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c crmauth -n "__fish_crmauth_needs_command" -s p -l profile -d 'Profile to use [default: the default profile, else \'default\']' -r
complete -c crmauth -n "__fish_crmauth_needs_command" -l config-dir -d 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]' -r -F
complete -c crmauth -n "__fish_crmauth_needs_command" -l store -d 'Where secrets are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
file\t'<config-dir>/credentials.json, mode 0600, for machines without a keyring'"
complete -c crmauth -n "__fish_crmauth_needs_command" -l timeout -d 'Seconds a whole HTTP request may take [default: 30]' -r
complete -c crmauth -n "__fish_crmauth_needs_command" -l cacert -d 'Extra CA certificate (PEM) to trust, for private servers' -r -F
complete -c crmauth -n "__fish_crmauth_needs_command" -s v -l verbose -d 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
complete -c crmauth -n "__fish_crmauth_needs_command" -s q -l quiet -d 'Print only errors on stderr'
complete -c crmauth -n "__fish_crmauth_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c crmauth -n "__fish_crmauth_needs_command" -s V -l version -d 'Print version'
complete -c crmauth -n "__fish_crmauth_needs_command" -f -a "login" -d 'Log in and store the credential (password grant, client credentials, or auth token)'
complete -c crmauth -n "__fish_crmauth_needs_command" -f -a "refresh" -d 'Get a new access token from the stored refresh token'
complete -c crmauth -n "__fish_crmauth_needs_command" -f -a "apikey" -d 'Manage static API keys'
complete -c crmauth -n "__fish_crmauth_needs_command" -f -a "authtoken" -d 'Manage Vertical CRM auth tokens'
complete -c crmauth -n "__fish_crmauth_needs_command" -f -a "token" -d 'Print the current credential for scripts, refreshing it first when needed'
complete -c crmauth -n "__fish_crmauth_needs_command" -f -a "whoami" -d 'Show what is stored for the profile (never a secret)'
complete -c crmauth -n "__fish_crmauth_needs_command" -f -a "curl" -d 'Run curl with the profile\'s Authorization header added'
complete -c crmauth -n "__fish_crmauth_needs_command" -f -a "exec" -d 'Run a command with the profile\'s token and header in its environment'
complete -c crmauth -n "__fish_crmauth_needs_command" -f -a "doctor" -d 'Check the config dir, secret store, profiles, curl and proxies, and say how to fix what fails'
complete -c crmauth -n "__fish_crmauth_needs_command" -f -a "logout" -d 'Forget the profile\'s secrets and the profile'
complete -c crmauth -n "__fish_crmauth_needs_command" -f -a "profiles" -d 'List profiles, or set the default one'
complete -c crmauth -n "__fish_crmauth_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c crmauth -n "__fish_crmauth_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c crmauth -n "__fish_crmauth_using_subcommand login" -l provider -d 'Provider of the profile (asked for on a terminal when missing)' -r -f -a "virtuous\t'Virtuous CRM: OAuth password grant (with 2FA) or a static API key'
virto\t'Virto Commerce (self-hosted): OAuth password or client_credentials grant, or an API key'
vertical\t'Vertical CRM (Zoho-style, self-hosted): permanent auth tokens'"
complete -c crmauth -n "__fish_crmauth_using_subcommand login" -l url -d 'Base URL of the API (Virtuous: https://api.virtuoussoftware.com)' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand login" -l username -d 'User name or email' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand login" -l otp -d 'Two-factor code (Virtuous) [env: CRMAUTH_OTP]' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand login" -l client-id -d 'OAuth client id (Virto; without --username: client_credentials grant)' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand login" -l scope -d 'Extra OAuth scope (repeatable)' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand login" -l display-name -d 'Display name of a generated Vertical auth token' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand login" -s p -l profile -d 'Profile to use [default: the default profile, else \'default\']' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand login" -l config-dir -d 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand login" -l store -d 'Where secrets are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
file\t'<config-dir>/credentials.json, mode 0600, for machines without a keyring'"
complete -c crmauth -n "__fish_crmauth_using_subcommand login" -l timeout -d 'Seconds a whole HTTP request may take [default: 30]' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand login" -l cacert -d 'Extra CA certificate (PEM) to trust, for private servers' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand login" -l password-stdin -d 'Read the password from standard input [env: CRMAUTH_PASSWORD]'
complete -c crmauth -n "__fish_crmauth_using_subcommand login" -l client-secret-stdin -d 'Read the client secret from standard input [env: CRMAUTH_CLIENT_SECRET]'
complete -c crmauth -n "__fish_crmauth_using_subcommand login" -l allow-http -d 'Allow a plain http:// URL to a host that is not loopback'
complete -c crmauth -n "__fish_crmauth_using_subcommand login" -s v -l verbose -d 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
complete -c crmauth -n "__fish_crmauth_using_subcommand login" -s q -l quiet -d 'Print only errors on stderr'
complete -c crmauth -n "__fish_crmauth_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c crmauth -n "__fish_crmauth_using_subcommand login" -s V -l version -d 'Print version'
complete -c crmauth -n "__fish_crmauth_using_subcommand refresh" -s p -l profile -d 'Profile to use [default: the default profile, else \'default\']' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand refresh" -l config-dir -d 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand refresh" -l store -d 'Where secrets are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
file\t'<config-dir>/credentials.json, mode 0600, for machines without a keyring'"
complete -c crmauth -n "__fish_crmauth_using_subcommand refresh" -l timeout -d 'Seconds a whole HTTP request may take [default: 30]' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand refresh" -l cacert -d 'Extra CA certificate (PEM) to trust, for private servers' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand refresh" -s v -l verbose -d 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
complete -c crmauth -n "__fish_crmauth_using_subcommand refresh" -s q -l quiet -d 'Print only errors on stderr'
complete -c crmauth -n "__fish_crmauth_using_subcommand refresh" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c crmauth -n "__fish_crmauth_using_subcommand refresh" -s V -l version -d 'Print version'
complete -c crmauth -n "__fish_crmauth_using_subcommand apikey; and not __fish_seen_subcommand_from set help" -s p -l profile -d 'Profile to use [default: the default profile, else \'default\']' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand apikey; and not __fish_seen_subcommand_from set help" -l config-dir -d 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand apikey; and not __fish_seen_subcommand_from set help" -l store -d 'Where secrets are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
file\t'<config-dir>/credentials.json, mode 0600, for machines without a keyring'"
complete -c crmauth -n "__fish_crmauth_using_subcommand apikey; and not __fish_seen_subcommand_from set help" -l timeout -d 'Seconds a whole HTTP request may take [default: 30]' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand apikey; and not __fish_seen_subcommand_from set help" -l cacert -d 'Extra CA certificate (PEM) to trust, for private servers' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand apikey; and not __fish_seen_subcommand_from set help" -s v -l verbose -d 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
complete -c crmauth -n "__fish_crmauth_using_subcommand apikey; and not __fish_seen_subcommand_from set help" -s q -l quiet -d 'Print only errors on stderr'
complete -c crmauth -n "__fish_crmauth_using_subcommand apikey; and not __fish_seen_subcommand_from set help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c crmauth -n "__fish_crmauth_using_subcommand apikey; and not __fish_seen_subcommand_from set help" -s V -l version -d 'Print version'
complete -c crmauth -n "__fish_crmauth_using_subcommand apikey; and not __fish_seen_subcommand_from set help" -f -a "set" -d 'Store a static API key for the profile'
complete -c crmauth -n "__fish_crmauth_using_subcommand apikey; and not __fish_seen_subcommand_from set help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c crmauth -n "__fish_crmauth_using_subcommand apikey; and __fish_seen_subcommand_from set" -l provider -d 'Provider of the profile: virtuous or virto [default: the profile\'s; asked on a terminal]' -r -f -a "virtuous\t'Virtuous CRM: OAuth password grant (with 2FA) or a static API key'
virto\t'Virto Commerce (self-hosted): OAuth password or client_credentials grant, or an API key'
vertical\t'Vertical CRM (Zoho-style, self-hosted): permanent auth tokens'"
complete -c crmauth -n "__fish_crmauth_using_subcommand apikey; and __fish_seen_subcommand_from set" -l url -d 'Base URL of the API' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand apikey; and __fish_seen_subcommand_from set" -s p -l profile -d 'Profile to use [default: the default profile, else \'default\']' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand apikey; and __fish_seen_subcommand_from set" -l config-dir -d 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand apikey; and __fish_seen_subcommand_from set" -l store -d 'Where secrets are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
file\t'<config-dir>/credentials.json, mode 0600, for machines without a keyring'"
complete -c crmauth -n "__fish_crmauth_using_subcommand apikey; and __fish_seen_subcommand_from set" -l timeout -d 'Seconds a whole HTTP request may take [default: 30]' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand apikey; and __fish_seen_subcommand_from set" -l cacert -d 'Extra CA certificate (PEM) to trust, for private servers' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand apikey; and __fish_seen_subcommand_from set" -l key-stdin -d 'Read the key from standard input [env: CRMAUTH_API_KEY]'
complete -c crmauth -n "__fish_crmauth_using_subcommand apikey; and __fish_seen_subcommand_from set" -l allow-http -d 'Allow a plain http:// URL to a host that is not loopback'
complete -c crmauth -n "__fish_crmauth_using_subcommand apikey; and __fish_seen_subcommand_from set" -s v -l verbose -d 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
complete -c crmauth -n "__fish_crmauth_using_subcommand apikey; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print only errors on stderr'
complete -c crmauth -n "__fish_crmauth_using_subcommand apikey; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c crmauth -n "__fish_crmauth_using_subcommand apikey; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c crmauth -n "__fish_crmauth_using_subcommand apikey; and __fish_seen_subcommand_from help" -f -a "set" -d 'Store a static API key for the profile'
complete -c crmauth -n "__fish_crmauth_using_subcommand apikey; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and not __fish_seen_subcommand_from generate delete help" -s p -l profile -d 'Profile to use [default: the default profile, else \'default\']' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and not __fish_seen_subcommand_from generate delete help" -l config-dir -d 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and not __fish_seen_subcommand_from generate delete help" -l store -d 'Where secrets are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
file\t'<config-dir>/credentials.json, mode 0600, for machines without a keyring'"
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and not __fish_seen_subcommand_from generate delete help" -l timeout -d 'Seconds a whole HTTP request may take [default: 30]' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and not __fish_seen_subcommand_from generate delete help" -l cacert -d 'Extra CA certificate (PEM) to trust, for private servers' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and not __fish_seen_subcommand_from generate delete help" -s v -l verbose -d 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and not __fish_seen_subcommand_from generate delete help" -s q -l quiet -d 'Print only errors on stderr'
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and not __fish_seen_subcommand_from generate delete help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and not __fish_seen_subcommand_from generate delete help" -s V -l version -d 'Print version'
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and not __fish_seen_subcommand_from generate delete help" -f -a "generate" -d 'Generate and store a permanent Vertical CRM auth token'
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and not __fish_seen_subcommand_from generate delete help" -f -a "delete" -d 'Delete the stored auth token on the server, then locally'
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and not __fish_seen_subcommand_from generate delete help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and __fish_seen_subcommand_from generate" -l url -d 'Base URL of the Vertical CRM' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and __fish_seen_subcommand_from generate" -l username -d 'Email of the user' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and __fish_seen_subcommand_from generate" -l display-name -d 'Name the token gets on the server [default: crmauth]' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and __fish_seen_subcommand_from generate" -s p -l profile -d 'Profile to use [default: the default profile, else \'default\']' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and __fish_seen_subcommand_from generate" -l config-dir -d 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and __fish_seen_subcommand_from generate" -l store -d 'Where secrets are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
file\t'<config-dir>/credentials.json, mode 0600, for machines without a keyring'"
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and __fish_seen_subcommand_from generate" -l timeout -d 'Seconds a whole HTTP request may take [default: 30]' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and __fish_seen_subcommand_from generate" -l cacert -d 'Extra CA certificate (PEM) to trust, for private servers' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and __fish_seen_subcommand_from generate" -l password-stdin -d 'Read the password from standard input [env: CRMAUTH_PASSWORD]'
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and __fish_seen_subcommand_from generate" -l allow-http -d 'Allow a plain http:// URL to a host that is not loopback'
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and __fish_seen_subcommand_from generate" -s v -l verbose -d 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and __fish_seen_subcommand_from generate" -s q -l quiet -d 'Print only errors on stderr'
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and __fish_seen_subcommand_from generate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and __fish_seen_subcommand_from generate" -s V -l version -d 'Print version'
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and __fish_seen_subcommand_from delete" -s p -l profile -d 'Profile to use [default: the default profile, else \'default\']' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and __fish_seen_subcommand_from delete" -l config-dir -d 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and __fish_seen_subcommand_from delete" -l store -d 'Where secrets are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
file\t'<config-dir>/credentials.json, mode 0600, for machines without a keyring'"
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and __fish_seen_subcommand_from delete" -l timeout -d 'Seconds a whole HTTP request may take [default: 30]' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and __fish_seen_subcommand_from delete" -l cacert -d 'Extra CA certificate (PEM) to trust, for private servers' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print only errors on stderr'
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and __fish_seen_subcommand_from help" -f -a "generate" -d 'Generate and store a permanent Vertical CRM auth token'
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete the stored auth token on the server, then locally'
complete -c crmauth -n "__fish_crmauth_using_subcommand authtoken; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c crmauth -n "__fish_crmauth_using_subcommand token" -l format -d 'Output format' -r -f -a "raw\t'The token and a newline, nothing else'
header\t'The whole header line: \'Authorization: ...\' (Virto API keys: \'api_key: ...\')'
json\t'token, type, header and expiry as JSON'
env\t'CRMAUTH_TOKEN=\'...\', CRMAUTH_HEADER=\'Name: value\' and (for an Authorization header) CRMAUTH_AUTHORIZATION=\'...\' lines for eval'"
complete -c crmauth -n "__fish_crmauth_using_subcommand token" -l min-valid -d 'Refresh first when the token expires within this time (90s, 5m, 2h, 1d, or seconds)' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand token" -s p -l profile -d 'Profile to use [default: the default profile, else \'default\']' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand token" -l config-dir -d 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand token" -l store -d 'Where secrets are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
file\t'<config-dir>/credentials.json, mode 0600, for machines without a keyring'"
complete -c crmauth -n "__fish_crmauth_using_subcommand token" -l timeout -d 'Seconds a whole HTTP request may take [default: 30]' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand token" -l cacert -d 'Extra CA certificate (PEM) to trust, for private servers' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand token" -s v -l verbose -d 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
complete -c crmauth -n "__fish_crmauth_using_subcommand token" -s q -l quiet -d 'Print only errors on stderr'
complete -c crmauth -n "__fish_crmauth_using_subcommand token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c crmauth -n "__fish_crmauth_using_subcommand token" -s V -l version -d 'Print version'
complete -c crmauth -n "__fish_crmauth_using_subcommand whoami" -l min-valid -d 'With --verify: refresh first when the token expires within this time' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand whoami" -s p -l profile -d 'Profile to use [default: the default profile, else \'default\']' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand whoami" -l config-dir -d 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand whoami" -l store -d 'Where secrets are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
file\t'<config-dir>/credentials.json, mode 0600, for machines without a keyring'"
complete -c crmauth -n "__fish_crmauth_using_subcommand whoami" -l timeout -d 'Seconds a whole HTTP request may take [default: 30]' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand whoami" -l cacert -d 'Extra CA certificate (PEM) to trust, for private servers' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand whoami" -l json -d 'Print JSON'
complete -c crmauth -n "__fish_crmauth_using_subcommand whoami" -l verify -d 'Ask the server whether the credential still works'
complete -c crmauth -n "__fish_crmauth_using_subcommand whoami" -s v -l verbose -d 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
complete -c crmauth -n "__fish_crmauth_using_subcommand whoami" -s q -l quiet -d 'Print only errors on stderr'
complete -c crmauth -n "__fish_crmauth_using_subcommand whoami" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c crmauth -n "__fish_crmauth_using_subcommand whoami" -s V -l version -d 'Print version'
complete -c crmauth -n "__fish_crmauth_using_subcommand curl" -s p -l profile -d 'Profile to use [default: the default profile, else \'default\']' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand curl" -l config-dir -d 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand curl" -l store -d 'Where secrets are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
file\t'<config-dir>/credentials.json, mode 0600, for machines without a keyring'"
complete -c crmauth -n "__fish_crmauth_using_subcommand curl" -l timeout -d 'Seconds a whole HTTP request may take [default: 30]' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand curl" -l cacert -d 'Extra CA certificate (PEM) to trust, for private servers' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand curl" -s v -l verbose -d 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
complete -c crmauth -n "__fish_crmauth_using_subcommand curl" -s q -l quiet -d 'Print only errors on stderr'
complete -c crmauth -n "__fish_crmauth_using_subcommand exec" -l min-valid -d 'Refresh first when the token expires within this time (90s, 5m, 2h, 1d, or seconds)' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand exec" -s p -l profile -d 'Profile to use [default: the default profile, else \'default\']' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand exec" -l config-dir -d 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand exec" -l store -d 'Where secrets are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
file\t'<config-dir>/credentials.json, mode 0600, for machines without a keyring'"
complete -c crmauth -n "__fish_crmauth_using_subcommand exec" -l timeout -d 'Seconds a whole HTTP request may take [default: 30]' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand exec" -l cacert -d 'Extra CA certificate (PEM) to trust, for private servers' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand exec" -s v -l verbose -d 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
complete -c crmauth -n "__fish_crmauth_using_subcommand exec" -s q -l quiet -d 'Print only errors on stderr'
complete -c crmauth -n "__fish_crmauth_using_subcommand exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c crmauth -n "__fish_crmauth_using_subcommand exec" -s V -l version -d 'Print version'
complete -c crmauth -n "__fish_crmauth_using_subcommand doctor" -s p -l profile -d 'Profile to use [default: the default profile, else \'default\']' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand doctor" -l config-dir -d 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand doctor" -l store -d 'Where secrets are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
file\t'<config-dir>/credentials.json, mode 0600, for machines without a keyring'"
complete -c crmauth -n "__fish_crmauth_using_subcommand doctor" -l timeout -d 'Seconds a whole HTTP request may take [default: 30]' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand doctor" -l cacert -d 'Extra CA certificate (PEM) to trust, for private servers' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand doctor" -l json -d 'Print JSON: {"ok", "checks": [{"name", "ok", "detail", "fix"}]}'
complete -c crmauth -n "__fish_crmauth_using_subcommand doctor" -l online -d 'Also reach each profile\'s server and compare its clock with this machine\'s'
complete -c crmauth -n "__fish_crmauth_using_subcommand doctor" -s v -l verbose -d 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
complete -c crmauth -n "__fish_crmauth_using_subcommand doctor" -s q -l quiet -d 'Print only errors on stderr'
complete -c crmauth -n "__fish_crmauth_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c crmauth -n "__fish_crmauth_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c crmauth -n "__fish_crmauth_using_subcommand logout" -s p -l profile -d 'Profile to use [default: the default profile, else \'default\']' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand logout" -l config-dir -d 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand logout" -l store -d 'Where secrets are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
file\t'<config-dir>/credentials.json, mode 0600, for machines without a keyring'"
complete -c crmauth -n "__fish_crmauth_using_subcommand logout" -l timeout -d 'Seconds a whole HTTP request may take [default: 30]' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand logout" -l cacert -d 'Extra CA certificate (PEM) to trust, for private servers' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand logout" -l all -d 'Log out of every profile'
complete -c crmauth -n "__fish_crmauth_using_subcommand logout" -l revoke -d 'First invalidate the credential on the server, where the provider allows it'
complete -c crmauth -n "__fish_crmauth_using_subcommand logout" -s v -l verbose -d 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
complete -c crmauth -n "__fish_crmauth_using_subcommand logout" -s q -l quiet -d 'Print only errors on stderr'
complete -c crmauth -n "__fish_crmauth_using_subcommand logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c crmauth -n "__fish_crmauth_using_subcommand logout" -s V -l version -d 'Print version'
complete -c crmauth -n "__fish_crmauth_using_subcommand profiles; and not __fish_seen_subcommand_from use help" -s p -l profile -d 'Profile to use [default: the default profile, else \'default\']' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand profiles; and not __fish_seen_subcommand_from use help" -l config-dir -d 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand profiles; and not __fish_seen_subcommand_from use help" -l store -d 'Where secrets are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
file\t'<config-dir>/credentials.json, mode 0600, for machines without a keyring'"
complete -c crmauth -n "__fish_crmauth_using_subcommand profiles; and not __fish_seen_subcommand_from use help" -l timeout -d 'Seconds a whole HTTP request may take [default: 30]' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand profiles; and not __fish_seen_subcommand_from use help" -l cacert -d 'Extra CA certificate (PEM) to trust, for private servers' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand profiles; and not __fish_seen_subcommand_from use help" -l json -d 'Print JSON'
complete -c crmauth -n "__fish_crmauth_using_subcommand profiles; and not __fish_seen_subcommand_from use help" -s v -l verbose -d 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
complete -c crmauth -n "__fish_crmauth_using_subcommand profiles; and not __fish_seen_subcommand_from use help" -s q -l quiet -d 'Print only errors on stderr'
complete -c crmauth -n "__fish_crmauth_using_subcommand profiles; and not __fish_seen_subcommand_from use help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c crmauth -n "__fish_crmauth_using_subcommand profiles; and not __fish_seen_subcommand_from use help" -s V -l version -d 'Print version'
complete -c crmauth -n "__fish_crmauth_using_subcommand profiles; and not __fish_seen_subcommand_from use help" -f -a "use" -d 'Make NAME the default profile'
complete -c crmauth -n "__fish_crmauth_using_subcommand profiles; and not __fish_seen_subcommand_from use help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c crmauth -n "__fish_crmauth_using_subcommand profiles; and __fish_seen_subcommand_from use" -s p -l profile -d 'Profile to use [default: the default profile, else \'default\']' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand profiles; and __fish_seen_subcommand_from use" -l config-dir -d 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand profiles; and __fish_seen_subcommand_from use" -l store -d 'Where secrets are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
file\t'<config-dir>/credentials.json, mode 0600, for machines without a keyring'"
complete -c crmauth -n "__fish_crmauth_using_subcommand profiles; and __fish_seen_subcommand_from use" -l timeout -d 'Seconds a whole HTTP request may take [default: 30]' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand profiles; and __fish_seen_subcommand_from use" -l cacert -d 'Extra CA certificate (PEM) to trust, for private servers' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand profiles; and __fish_seen_subcommand_from use" -s v -l verbose -d 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
complete -c crmauth -n "__fish_crmauth_using_subcommand profiles; and __fish_seen_subcommand_from use" -s q -l quiet -d 'Print only errors on stderr'
complete -c crmauth -n "__fish_crmauth_using_subcommand profiles; and __fish_seen_subcommand_from use" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c crmauth -n "__fish_crmauth_using_subcommand profiles; and __fish_seen_subcommand_from use" -s V -l version -d 'Print version'
complete -c crmauth -n "__fish_crmauth_using_subcommand profiles; and __fish_seen_subcommand_from help" -f -a "use" -d 'Make NAME the default profile'
complete -c crmauth -n "__fish_crmauth_using_subcommand profiles; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c crmauth -n "__fish_crmauth_using_subcommand completions" -s p -l profile -d 'Profile to use [default: the default profile, else \'default\']' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand completions" -l config-dir -d 'Directory holding profiles.json and lock files [default: <platform config dir>/crmauth]' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand completions" -l store -d 'Where secrets are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
file\t'<config-dir>/credentials.json, mode 0600, for machines without a keyring'"
complete -c crmauth -n "__fish_crmauth_using_subcommand completions" -l timeout -d 'Seconds a whole HTTP request may take [default: 30]' -r
complete -c crmauth -n "__fish_crmauth_using_subcommand completions" -l cacert -d 'Extra CA certificate (PEM) to trust, for private servers' -r -F
complete -c crmauth -n "__fish_crmauth_using_subcommand completions" -s v -l verbose -d 'Log each HTTP request (method, URL, status, time) on stderr, secrets redacted'
complete -c crmauth -n "__fish_crmauth_using_subcommand completions" -s q -l quiet -d 'Print only errors on stderr'
complete -c crmauth -n "__fish_crmauth_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c crmauth -n "__fish_crmauth_using_subcommand completions" -s V -l version -d 'Print version'
complete -c crmauth -n "__fish_crmauth_using_subcommand help; and not __fish_seen_subcommand_from login refresh apikey authtoken token whoami curl exec doctor logout profiles completions help" -f -a "login" -d 'Log in and store the credential (password grant, client credentials, or auth token)'
complete -c crmauth -n "__fish_crmauth_using_subcommand help; and not __fish_seen_subcommand_from login refresh apikey authtoken token whoami curl exec doctor logout profiles completions help" -f -a "refresh" -d 'Get a new access token from the stored refresh token'
complete -c crmauth -n "__fish_crmauth_using_subcommand help; and not __fish_seen_subcommand_from login refresh apikey authtoken token whoami curl exec doctor logout profiles completions help" -f -a "apikey" -d 'Manage static API keys'
complete -c crmauth -n "__fish_crmauth_using_subcommand help; and not __fish_seen_subcommand_from login refresh apikey authtoken token whoami curl exec doctor logout profiles completions help" -f -a "authtoken" -d 'Manage Vertical CRM auth tokens'
complete -c crmauth -n "__fish_crmauth_using_subcommand help; and not __fish_seen_subcommand_from login refresh apikey authtoken token whoami curl exec doctor logout profiles completions help" -f -a "token" -d 'Print the current credential for scripts, refreshing it first when needed'
complete -c crmauth -n "__fish_crmauth_using_subcommand help; and not __fish_seen_subcommand_from login refresh apikey authtoken token whoami curl exec doctor logout profiles completions help" -f -a "whoami" -d 'Show what is stored for the profile (never a secret)'
complete -c crmauth -n "__fish_crmauth_using_subcommand help; and not __fish_seen_subcommand_from login refresh apikey authtoken token whoami curl exec doctor logout profiles completions help" -f -a "curl" -d 'Run curl with the profile\'s Authorization header added'
complete -c crmauth -n "__fish_crmauth_using_subcommand help; and not __fish_seen_subcommand_from login refresh apikey authtoken token whoami curl exec doctor logout profiles completions help" -f -a "exec" -d 'Run a command with the profile\'s token and header in its environment'
complete -c crmauth -n "__fish_crmauth_using_subcommand help; and not __fish_seen_subcommand_from login refresh apikey authtoken token whoami curl exec doctor logout profiles completions help" -f -a "doctor" -d 'Check the config dir, secret store, profiles, curl and proxies, and say how to fix what fails'
complete -c crmauth -n "__fish_crmauth_using_subcommand help; and not __fish_seen_subcommand_from login refresh apikey authtoken token whoami curl exec doctor logout profiles completions help" -f -a "logout" -d 'Forget the profile\'s secrets and the profile'
complete -c crmauth -n "__fish_crmauth_using_subcommand help; and not __fish_seen_subcommand_from login refresh apikey authtoken token whoami curl exec doctor logout profiles completions help" -f -a "profiles" -d 'List profiles, or set the default one'
complete -c crmauth -n "__fish_crmauth_using_subcommand help; and not __fish_seen_subcommand_from login refresh apikey authtoken token whoami curl exec doctor logout profiles completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c crmauth -n "__fish_crmauth_using_subcommand help; and not __fish_seen_subcommand_from login refresh apikey authtoken token whoami curl exec doctor logout profiles completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c crmauth -n "__fish_crmauth_using_subcommand help; and __fish_seen_subcommand_from apikey" -f -a "set" -d 'Store a static API key for the profile'
complete -c crmauth -n "__fish_crmauth_using_subcommand help; and __fish_seen_subcommand_from authtoken" -f -a "generate" -d 'Generate and store a permanent Vertical CRM auth token'
complete -c crmauth -n "__fish_crmauth_using_subcommand help; and __fish_seen_subcommand_from authtoken" -f -a "delete" -d 'Delete the stored auth token on the server, then locally'
complete -c crmauth -n "__fish_crmauth_using_subcommand help; and __fish_seen_subcommand_from profiles" -f -a "use" -d 'Make NAME the default profile'
