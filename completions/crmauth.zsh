#compdef crmauth

autoload -U is-at-least

_crmauth() {
    typeset -A opt_args
    typeset -a _arguments_options
    local ret=1

    if is-at-least 5.2; then
        _arguments_options=(-s -S -C)
    else
        _arguments_options=(-s -C)
    fi

    local context curcontext="$curcontext" state line
    _arguments "${_arguments_options[@]}" : \
'-p+[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--profile=[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--config-dir=[Directory holding profiles.json and lock files \[default\: <platform config dir>/crmauth\]]:DIR:_files' \
'--store=[Where secrets are kept \[default\: keyring\]]:STORE:((keyring\:"The OS keyring (Secret Service, Keychain, Credential Manager)"
file\:"<config-dir>/credentials.json, mode 0600, for machines without a keyring"))' \
'--timeout=[Seconds a whole HTTP request may take \[default\: 30\]]:SECS:_default' \
'--cacert=[Extra CA certificate (PEM) to trust, for private servers]:FILE:_files' \
'(-q --quiet)-v[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'(-q --quiet)--verbose[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'-q[Print only errors on stderr]' \
'--quiet[Print only errors on stderr]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_crmauth_commands" \
"*::: :->crmauth" \
&& ret=0
    case $state in
    (crmauth)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:crmauth-command-$line[1]:"
        case $line[1] in
            (login)
_arguments "${_arguments_options[@]}" : \
'--provider=[Provider of the profile (asked for on a terminal when missing)]:PROVIDER:((virtuous\:"Virtuous CRM\: OAuth password grant (with 2FA) or a static API key"
virto\:"Virto Commerce (self-hosted)\: OAuth password or client_credentials grant, or an API key"
vertical\:"Vertical CRM (Zoho-style, self-hosted)\: permanent auth tokens"))' \
'--url=[Base URL of the API (Virtuous\: https\://api.virtuoussoftware.com)]:URL:_default' \
'--username=[User name or email]:USER:_default' \
'--otp=[Two-factor code (Virtuous) \[env\: CRMAUTH_OTP\]]:CODE:_default' \
'--client-id=[OAuth client id (Virto; without --username\: client_credentials grant)]:ID:_default' \
'*--scope=[Extra OAuth scope (repeatable)]:SCOPE:_default' \
'--display-name=[Display name of a generated Vertical auth token]:NAME:_default' \
'-p+[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--profile=[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--config-dir=[Directory holding profiles.json and lock files \[default\: <platform config dir>/crmauth\]]:DIR:_files' \
'--store=[Where secrets are kept \[default\: keyring\]]:STORE:((keyring\:"The OS keyring (Secret Service, Keychain, Credential Manager)"
file\:"<config-dir>/credentials.json, mode 0600, for machines without a keyring"))' \
'--timeout=[Seconds a whole HTTP request may take \[default\: 30\]]:SECS:_default' \
'--cacert=[Extra CA certificate (PEM) to trust, for private servers]:FILE:_files' \
'--password-stdin[Read the password from standard input \[env\: CRMAUTH_PASSWORD\]]' \
'--client-secret-stdin[Read the client secret from standard input \[env\: CRMAUTH_CLIENT_SECRET\]]' \
'--allow-http[Allow a plain http\:// URL to a host that is not loopback]' \
'(-q --quiet)-v[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'(-q --quiet)--verbose[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'-q[Print only errors on stderr]' \
'--quiet[Print only errors on stderr]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(refresh)
_arguments "${_arguments_options[@]}" : \
'-p+[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--profile=[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--config-dir=[Directory holding profiles.json and lock files \[default\: <platform config dir>/crmauth\]]:DIR:_files' \
'--store=[Where secrets are kept \[default\: keyring\]]:STORE:((keyring\:"The OS keyring (Secret Service, Keychain, Credential Manager)"
file\:"<config-dir>/credentials.json, mode 0600, for machines without a keyring"))' \
'--timeout=[Seconds a whole HTTP request may take \[default\: 30\]]:SECS:_default' \
'--cacert=[Extra CA certificate (PEM) to trust, for private servers]:FILE:_files' \
'(-q --quiet)-v[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'(-q --quiet)--verbose[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'-q[Print only errors on stderr]' \
'--quiet[Print only errors on stderr]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(apikey)
_arguments "${_arguments_options[@]}" : \
'-p+[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--profile=[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--config-dir=[Directory holding profiles.json and lock files \[default\: <platform config dir>/crmauth\]]:DIR:_files' \
'--store=[Where secrets are kept \[default\: keyring\]]:STORE:((keyring\:"The OS keyring (Secret Service, Keychain, Credential Manager)"
file\:"<config-dir>/credentials.json, mode 0600, for machines without a keyring"))' \
'--timeout=[Seconds a whole HTTP request may take \[default\: 30\]]:SECS:_default' \
'--cacert=[Extra CA certificate (PEM) to trust, for private servers]:FILE:_files' \
'(-q --quiet)-v[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'(-q --quiet)--verbose[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'-q[Print only errors on stderr]' \
'--quiet[Print only errors on stderr]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_crmauth__subcmd__apikey_commands" \
"*::: :->apikey" \
&& ret=0

    case $state in
    (apikey)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:crmauth-apikey-command-$line[1]:"
        case $line[1] in
            (set)
_arguments "${_arguments_options[@]}" : \
'--provider=[Provider of the profile\: virtuous or virto \[default\: the profile'\''s; asked on a terminal\]]:PROVIDER:((virtuous\:"Virtuous CRM\: OAuth password grant (with 2FA) or a static API key"
virto\:"Virto Commerce (self-hosted)\: OAuth password or client_credentials grant, or an API key"
vertical\:"Vertical CRM (Zoho-style, self-hosted)\: permanent auth tokens"))' \
'--url=[Base URL of the API]:URL:_default' \
'-p+[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--profile=[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--config-dir=[Directory holding profiles.json and lock files \[default\: <platform config dir>/crmauth\]]:DIR:_files' \
'--store=[Where secrets are kept \[default\: keyring\]]:STORE:((keyring\:"The OS keyring (Secret Service, Keychain, Credential Manager)"
file\:"<config-dir>/credentials.json, mode 0600, for machines without a keyring"))' \
'--timeout=[Seconds a whole HTTP request may take \[default\: 30\]]:SECS:_default' \
'--cacert=[Extra CA certificate (PEM) to trust, for private servers]:FILE:_files' \
'--key-stdin[Read the key from standard input \[env\: CRMAUTH_API_KEY\]]' \
'--allow-http[Allow a plain http\:// URL to a host that is not loopback]' \
'(-q --quiet)-v[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'(-q --quiet)--verbose[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'-q[Print only errors on stderr]' \
'--quiet[Print only errors on stderr]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_crmauth__subcmd__apikey__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:crmauth-apikey-help-command-$line[1]:"
        case $line[1] in
            (set)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(authtoken)
_arguments "${_arguments_options[@]}" : \
'-p+[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--profile=[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--config-dir=[Directory holding profiles.json and lock files \[default\: <platform config dir>/crmauth\]]:DIR:_files' \
'--store=[Where secrets are kept \[default\: keyring\]]:STORE:((keyring\:"The OS keyring (Secret Service, Keychain, Credential Manager)"
file\:"<config-dir>/credentials.json, mode 0600, for machines without a keyring"))' \
'--timeout=[Seconds a whole HTTP request may take \[default\: 30\]]:SECS:_default' \
'--cacert=[Extra CA certificate (PEM) to trust, for private servers]:FILE:_files' \
'(-q --quiet)-v[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'(-q --quiet)--verbose[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'-q[Print only errors on stderr]' \
'--quiet[Print only errors on stderr]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_crmauth__subcmd__authtoken_commands" \
"*::: :->authtoken" \
&& ret=0

    case $state in
    (authtoken)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:crmauth-authtoken-command-$line[1]:"
        case $line[1] in
            (generate)
_arguments "${_arguments_options[@]}" : \
'--url=[Base URL of the Vertical CRM]:URL:_default' \
'--username=[Email of the user]:EMAIL:_default' \
'--display-name=[Name the token gets on the server \[default\: crmauth\]]:NAME:_default' \
'-p+[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--profile=[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--config-dir=[Directory holding profiles.json and lock files \[default\: <platform config dir>/crmauth\]]:DIR:_files' \
'--store=[Where secrets are kept \[default\: keyring\]]:STORE:((keyring\:"The OS keyring (Secret Service, Keychain, Credential Manager)"
file\:"<config-dir>/credentials.json, mode 0600, for machines without a keyring"))' \
'--timeout=[Seconds a whole HTTP request may take \[default\: 30\]]:SECS:_default' \
'--cacert=[Extra CA certificate (PEM) to trust, for private servers]:FILE:_files' \
'--password-stdin[Read the password from standard input \[env\: CRMAUTH_PASSWORD\]]' \
'--allow-http[Allow a plain http\:// URL to a host that is not loopback]' \
'(-q --quiet)-v[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'(-q --quiet)--verbose[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'-q[Print only errors on stderr]' \
'--quiet[Print only errors on stderr]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(delete)
_arguments "${_arguments_options[@]}" : \
'-p+[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--profile=[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--config-dir=[Directory holding profiles.json and lock files \[default\: <platform config dir>/crmauth\]]:DIR:_files' \
'--store=[Where secrets are kept \[default\: keyring\]]:STORE:((keyring\:"The OS keyring (Secret Service, Keychain, Credential Manager)"
file\:"<config-dir>/credentials.json, mode 0600, for machines without a keyring"))' \
'--timeout=[Seconds a whole HTTP request may take \[default\: 30\]]:SECS:_default' \
'--cacert=[Extra CA certificate (PEM) to trust, for private servers]:FILE:_files' \
'(-q --quiet)-v[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'(-q --quiet)--verbose[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'-q[Print only errors on stderr]' \
'--quiet[Print only errors on stderr]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_crmauth__subcmd__authtoken__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:crmauth-authtoken-help-command-$line[1]:"
        case $line[1] in
            (generate)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(delete)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(token)
_arguments "${_arguments_options[@]}" : \
'--format=[Output format]:FORMAT:((raw\:"The token and a newline, nothing else"
header\:"The whole header line\: '\''Authorization\: ...'\'' (Virto API keys\: '\''api_key\: ...'\'')"
json\:"token, type, header and expiry as JSON"
env\:"CRMAUTH_TOKEN='\''...'\'', CRMAUTH_HEADER='\''Name\: value'\'' and (for an Authorization header) CRMAUTH_AUTHORIZATION='\''...'\'' lines for eval"))' \
'--min-valid=[Refresh first when the token expires within this time (90s, 5m, 2h, 1d, or seconds)]:DURATION:_default' \
'-p+[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--profile=[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--config-dir=[Directory holding profiles.json and lock files \[default\: <platform config dir>/crmauth\]]:DIR:_files' \
'--store=[Where secrets are kept \[default\: keyring\]]:STORE:((keyring\:"The OS keyring (Secret Service, Keychain, Credential Manager)"
file\:"<config-dir>/credentials.json, mode 0600, for machines without a keyring"))' \
'--timeout=[Seconds a whole HTTP request may take \[default\: 30\]]:SECS:_default' \
'--cacert=[Extra CA certificate (PEM) to trust, for private servers]:FILE:_files' \
'(-q --quiet)-v[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'(-q --quiet)--verbose[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'-q[Print only errors on stderr]' \
'--quiet[Print only errors on stderr]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(whoami)
_arguments "${_arguments_options[@]}" : \
'--min-valid=[With --verify\: refresh first when the token expires within this time]:DURATION:_default' \
'-p+[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--profile=[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--config-dir=[Directory holding profiles.json and lock files \[default\: <platform config dir>/crmauth\]]:DIR:_files' \
'--store=[Where secrets are kept \[default\: keyring\]]:STORE:((keyring\:"The OS keyring (Secret Service, Keychain, Credential Manager)"
file\:"<config-dir>/credentials.json, mode 0600, for machines without a keyring"))' \
'--timeout=[Seconds a whole HTTP request may take \[default\: 30\]]:SECS:_default' \
'--cacert=[Extra CA certificate (PEM) to trust, for private servers]:FILE:_files' \
'--json[Print JSON]' \
'--verify[Ask the server whether the credential still works]' \
'(-q --quiet)-v[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'(-q --quiet)--verbose[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'-q[Print only errors on stderr]' \
'--quiet[Print only errors on stderr]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(curl)
_arguments "${_arguments_options[@]}" : \
'-p+[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--profile=[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--config-dir=[Directory holding profiles.json and lock files \[default\: <platform config dir>/crmauth\]]:DIR:_files' \
'--store=[Where secrets are kept \[default\: keyring\]]:STORE:((keyring\:"The OS keyring (Secret Service, Keychain, Credential Manager)"
file\:"<config-dir>/credentials.json, mode 0600, for machines without a keyring"))' \
'--timeout=[Seconds a whole HTTP request may take \[default\: 30\]]:SECS:_default' \
'--cacert=[Extra CA certificate (PEM) to trust, for private servers]:FILE:_files' \
'(-q --quiet)-v[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'(-q --quiet)--verbose[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'-q[Print only errors on stderr]' \
'--quiet[Print only errors on stderr]' \
'*::args -- Arguments passed to curl unchanged; a URL starting with '\''/'\'' is relative to the profile URL:_default' \
&& ret=0
;;
(exec)
_arguments "${_arguments_options[@]}" : \
'--min-valid=[Refresh first when the token expires within this time (90s, 5m, 2h, 1d, or seconds)]:DURATION:_default' \
'-p+[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--profile=[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--config-dir=[Directory holding profiles.json and lock files \[default\: <platform config dir>/crmauth\]]:DIR:_files' \
'--store=[Where secrets are kept \[default\: keyring\]]:STORE:((keyring\:"The OS keyring (Secret Service, Keychain, Credential Manager)"
file\:"<config-dir>/credentials.json, mode 0600, for machines without a keyring"))' \
'--timeout=[Seconds a whole HTTP request may take \[default\: 30\]]:SECS:_default' \
'--cacert=[Extra CA certificate (PEM) to trust, for private servers]:FILE:_files' \
'(-q --quiet)-v[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'(-q --quiet)--verbose[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'-q[Print only errors on stderr]' \
'--quiet[Print only errors on stderr]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::command -- The command to run and its arguments:_default' \
&& ret=0
;;
(doctor)
_arguments "${_arguments_options[@]}" : \
'-p+[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--profile=[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--config-dir=[Directory holding profiles.json and lock files \[default\: <platform config dir>/crmauth\]]:DIR:_files' \
'--store=[Where secrets are kept \[default\: keyring\]]:STORE:((keyring\:"The OS keyring (Secret Service, Keychain, Credential Manager)"
file\:"<config-dir>/credentials.json, mode 0600, for machines without a keyring"))' \
'--timeout=[Seconds a whole HTTP request may take \[default\: 30\]]:SECS:_default' \
'--cacert=[Extra CA certificate (PEM) to trust, for private servers]:FILE:_files' \
'--json[Print JSON\: {"ok", "checks"\: \[{"name", "ok", "detail", "fix"}\]}]' \
'--online[Also reach each profile'\''s server and compare its clock with this machine'\''s]' \
'(-q --quiet)-v[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'(-q --quiet)--verbose[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'-q[Print only errors on stderr]' \
'--quiet[Print only errors on stderr]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(logout)
_arguments "${_arguments_options[@]}" : \
'-p+[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--profile=[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--config-dir=[Directory holding profiles.json and lock files \[default\: <platform config dir>/crmauth\]]:DIR:_files' \
'--store=[Where secrets are kept \[default\: keyring\]]:STORE:((keyring\:"The OS keyring (Secret Service, Keychain, Credential Manager)"
file\:"<config-dir>/credentials.json, mode 0600, for machines without a keyring"))' \
'--timeout=[Seconds a whole HTTP request may take \[default\: 30\]]:SECS:_default' \
'--cacert=[Extra CA certificate (PEM) to trust, for private servers]:FILE:_files' \
'--all[Log out of every profile]' \
'--revoke[First invalidate the credential on the server, where the provider allows it]' \
'(-q --quiet)-v[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'(-q --quiet)--verbose[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'-q[Print only errors on stderr]' \
'--quiet[Print only errors on stderr]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(profiles)
_arguments "${_arguments_options[@]}" : \
'-p+[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--profile=[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--config-dir=[Directory holding profiles.json and lock files \[default\: <platform config dir>/crmauth\]]:DIR:_files' \
'--store=[Where secrets are kept \[default\: keyring\]]:STORE:((keyring\:"The OS keyring (Secret Service, Keychain, Credential Manager)"
file\:"<config-dir>/credentials.json, mode 0600, for machines without a keyring"))' \
'--timeout=[Seconds a whole HTTP request may take \[default\: 30\]]:SECS:_default' \
'--cacert=[Extra CA certificate (PEM) to trust, for private servers]:FILE:_files' \
'--json[Print JSON]' \
'(-q --quiet)-v[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'(-q --quiet)--verbose[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'-q[Print only errors on stderr]' \
'--quiet[Print only errors on stderr]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_crmauth__subcmd__profiles_commands" \
"*::: :->profiles" \
&& ret=0

    case $state in
    (profiles)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:crmauth-profiles-command-$line[1]:"
        case $line[1] in
            (use)
_arguments "${_arguments_options[@]}" : \
'-p+[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--profile=[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--config-dir=[Directory holding profiles.json and lock files \[default\: <platform config dir>/crmauth\]]:DIR:_files' \
'--store=[Where secrets are kept \[default\: keyring\]]:STORE:((keyring\:"The OS keyring (Secret Service, Keychain, Credential Manager)"
file\:"<config-dir>/credentials.json, mode 0600, for machines without a keyring"))' \
'--timeout=[Seconds a whole HTTP request may take \[default\: 30\]]:SECS:_default' \
'--cacert=[Extra CA certificate (PEM) to trust, for private servers]:FILE:_files' \
'(-q --quiet)-v[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'(-q --quiet)--verbose[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'-q[Print only errors on stderr]' \
'--quiet[Print only errors on stderr]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':name -- Profile name:_default' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_crmauth__subcmd__profiles__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:crmauth-profiles-help-command-$line[1]:"
        case $line[1] in
            (use)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(completions)
_arguments "${_arguments_options[@]}" : \
'-p+[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--profile=[Profile to use \[default\: the default profile, else '\''default'\''\]]:NAME:_default' \
'--config-dir=[Directory holding profiles.json and lock files \[default\: <platform config dir>/crmauth\]]:DIR:_files' \
'--store=[Where secrets are kept \[default\: keyring\]]:STORE:((keyring\:"The OS keyring (Secret Service, Keychain, Credential Manager)"
file\:"<config-dir>/credentials.json, mode 0600, for machines without a keyring"))' \
'--timeout=[Seconds a whole HTTP request may take \[default\: 30\]]:SECS:_default' \
'--cacert=[Extra CA certificate (PEM) to trust, for private servers]:FILE:_files' \
'(-q --quiet)-v[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'(-q --quiet)--verbose[Log each HTTP request (method, URL, status, time) on stderr, secrets redacted]' \
'-q[Print only errors on stderr]' \
'--quiet[Print only errors on stderr]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':shell -- Shell to generate for:(bash elvish fish powershell zsh)' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_crmauth__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:crmauth-help-command-$line[1]:"
        case $line[1] in
            (login)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(refresh)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(apikey)
_arguments "${_arguments_options[@]}" : \
":: :_crmauth__subcmd__help__subcmd__apikey_commands" \
"*::: :->apikey" \
&& ret=0

    case $state in
    (apikey)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:crmauth-help-apikey-command-$line[1]:"
        case $line[1] in
            (set)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(authtoken)
_arguments "${_arguments_options[@]}" : \
":: :_crmauth__subcmd__help__subcmd__authtoken_commands" \
"*::: :->authtoken" \
&& ret=0

    case $state in
    (authtoken)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:crmauth-help-authtoken-command-$line[1]:"
        case $line[1] in
            (generate)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(delete)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(token)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(whoami)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(curl)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(exec)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(doctor)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(logout)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(profiles)
_arguments "${_arguments_options[@]}" : \
":: :_crmauth__subcmd__help__subcmd__profiles_commands" \
"*::: :->profiles" \
&& ret=0

    case $state in
    (profiles)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:crmauth-help-profiles-command-$line[1]:"
        case $line[1] in
            (use)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(completions)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
}

(( $+functions[_crmauth_commands] )) ||
_crmauth_commands() {
    local commands; commands=(
'login:Log in and store the credential (password grant, client credentials, or auth token)' \
'refresh:Get a new access token from the stored refresh token' \
'apikey:Manage static API keys' \
'authtoken:Manage Vertical CRM auth tokens' \
'token:Print the current credential for scripts, refreshing it first when needed' \
'whoami:Show what is stored for the profile (never a secret)' \
'curl:Run curl with the profile'\''s Authorization header added' \
'exec:Run a command with the profile'\''s token and header in its environment' \
'doctor:Check the config dir, secret store, profiles, curl and proxies, and say how to fix what fails' \
'logout:Forget the profile'\''s secrets and the profile' \
'profiles:List profiles, or set the default one' \
'completions:Print a shell completion script' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'crmauth commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__apikey_commands] )) ||
_crmauth__subcmd__apikey_commands() {
    local commands; commands=(
'set:Store a static API key for the profile' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'crmauth apikey commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__apikey__subcmd__help_commands] )) ||
_crmauth__subcmd__apikey__subcmd__help_commands() {
    local commands; commands=(
'set:Store a static API key for the profile' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'crmauth apikey help commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__apikey__subcmd__help__subcmd__help_commands] )) ||
_crmauth__subcmd__apikey__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth apikey help help commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__apikey__subcmd__help__subcmd__set_commands] )) ||
_crmauth__subcmd__apikey__subcmd__help__subcmd__set_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth apikey help set commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__apikey__subcmd__set_commands] )) ||
_crmauth__subcmd__apikey__subcmd__set_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth apikey set commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__authtoken_commands] )) ||
_crmauth__subcmd__authtoken_commands() {
    local commands; commands=(
'generate:Generate and store a permanent Vertical CRM auth token' \
'delete:Delete the stored auth token on the server, then locally' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'crmauth authtoken commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__authtoken__subcmd__delete_commands] )) ||
_crmauth__subcmd__authtoken__subcmd__delete_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth authtoken delete commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__authtoken__subcmd__generate_commands] )) ||
_crmauth__subcmd__authtoken__subcmd__generate_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth authtoken generate commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__authtoken__subcmd__help_commands] )) ||
_crmauth__subcmd__authtoken__subcmd__help_commands() {
    local commands; commands=(
'generate:Generate and store a permanent Vertical CRM auth token' \
'delete:Delete the stored auth token on the server, then locally' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'crmauth authtoken help commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__authtoken__subcmd__help__subcmd__delete_commands] )) ||
_crmauth__subcmd__authtoken__subcmd__help__subcmd__delete_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth authtoken help delete commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__authtoken__subcmd__help__subcmd__generate_commands] )) ||
_crmauth__subcmd__authtoken__subcmd__help__subcmd__generate_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth authtoken help generate commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__authtoken__subcmd__help__subcmd__help_commands] )) ||
_crmauth__subcmd__authtoken__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth authtoken help help commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__completions_commands] )) ||
_crmauth__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth completions commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__curl_commands] )) ||
_crmauth__subcmd__curl_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth curl commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__doctor_commands] )) ||
_crmauth__subcmd__doctor_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth doctor commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__exec_commands] )) ||
_crmauth__subcmd__exec_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth exec commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__help_commands] )) ||
_crmauth__subcmd__help_commands() {
    local commands; commands=(
'login:Log in and store the credential (password grant, client credentials, or auth token)' \
'refresh:Get a new access token from the stored refresh token' \
'apikey:Manage static API keys' \
'authtoken:Manage Vertical CRM auth tokens' \
'token:Print the current credential for scripts, refreshing it first when needed' \
'whoami:Show what is stored for the profile (never a secret)' \
'curl:Run curl with the profile'\''s Authorization header added' \
'exec:Run a command with the profile'\''s token and header in its environment' \
'doctor:Check the config dir, secret store, profiles, curl and proxies, and say how to fix what fails' \
'logout:Forget the profile'\''s secrets and the profile' \
'profiles:List profiles, or set the default one' \
'completions:Print a shell completion script' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'crmauth help commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__help__subcmd__apikey_commands] )) ||
_crmauth__subcmd__help__subcmd__apikey_commands() {
    local commands; commands=(
'set:Store a static API key for the profile' \
    )
    _describe -t commands 'crmauth help apikey commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__help__subcmd__apikey__subcmd__set_commands] )) ||
_crmauth__subcmd__help__subcmd__apikey__subcmd__set_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth help apikey set commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__help__subcmd__authtoken_commands] )) ||
_crmauth__subcmd__help__subcmd__authtoken_commands() {
    local commands; commands=(
'generate:Generate and store a permanent Vertical CRM auth token' \
'delete:Delete the stored auth token on the server, then locally' \
    )
    _describe -t commands 'crmauth help authtoken commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__help__subcmd__authtoken__subcmd__delete_commands] )) ||
_crmauth__subcmd__help__subcmd__authtoken__subcmd__delete_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth help authtoken delete commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__help__subcmd__authtoken__subcmd__generate_commands] )) ||
_crmauth__subcmd__help__subcmd__authtoken__subcmd__generate_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth help authtoken generate commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__help__subcmd__completions_commands] )) ||
_crmauth__subcmd__help__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth help completions commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__help__subcmd__curl_commands] )) ||
_crmauth__subcmd__help__subcmd__curl_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth help curl commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__help__subcmd__doctor_commands] )) ||
_crmauth__subcmd__help__subcmd__doctor_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth help doctor commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__help__subcmd__exec_commands] )) ||
_crmauth__subcmd__help__subcmd__exec_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth help exec commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__help__subcmd__help_commands] )) ||
_crmauth__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth help help commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__help__subcmd__login_commands] )) ||
_crmauth__subcmd__help__subcmd__login_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth help login commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__help__subcmd__logout_commands] )) ||
_crmauth__subcmd__help__subcmd__logout_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth help logout commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__help__subcmd__profiles_commands] )) ||
_crmauth__subcmd__help__subcmd__profiles_commands() {
    local commands; commands=(
'use:Make NAME the default profile' \
    )
    _describe -t commands 'crmauth help profiles commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__help__subcmd__profiles__subcmd__use_commands] )) ||
_crmauth__subcmd__help__subcmd__profiles__subcmd__use_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth help profiles use commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__help__subcmd__refresh_commands] )) ||
_crmauth__subcmd__help__subcmd__refresh_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth help refresh commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__help__subcmd__token_commands] )) ||
_crmauth__subcmd__help__subcmd__token_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth help token commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__help__subcmd__whoami_commands] )) ||
_crmauth__subcmd__help__subcmd__whoami_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth help whoami commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__login_commands] )) ||
_crmauth__subcmd__login_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth login commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__logout_commands] )) ||
_crmauth__subcmd__logout_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth logout commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__profiles_commands] )) ||
_crmauth__subcmd__profiles_commands() {
    local commands; commands=(
'use:Make NAME the default profile' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'crmauth profiles commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__profiles__subcmd__help_commands] )) ||
_crmauth__subcmd__profiles__subcmd__help_commands() {
    local commands; commands=(
'use:Make NAME the default profile' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'crmauth profiles help commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__profiles__subcmd__help__subcmd__help_commands] )) ||
_crmauth__subcmd__profiles__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth profiles help help commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__profiles__subcmd__help__subcmd__use_commands] )) ||
_crmauth__subcmd__profiles__subcmd__help__subcmd__use_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth profiles help use commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__profiles__subcmd__use_commands] )) ||
_crmauth__subcmd__profiles__subcmd__use_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth profiles use commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__refresh_commands] )) ||
_crmauth__subcmd__refresh_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth refresh commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__token_commands] )) ||
_crmauth__subcmd__token_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth token commands' commands "$@"
}
(( $+functions[_crmauth__subcmd__whoami_commands] )) ||
_crmauth__subcmd__whoami_commands() {
    local commands; commands=()
    _describe -t commands 'crmauth whoami commands' commands "$@"
}

if [ "$funcstack[1]" = "_crmauth" ]; then
    _crmauth "$@"
else
    compdef _crmauth crmauth
fi
