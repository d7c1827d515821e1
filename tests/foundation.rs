//! The foundation, end to end: API keys, `token` formats, `whoami`, profiles,
//! logout, and the failures of local state and the secret store.

mod support;

use support::crmauth::{Env, Store, stores};

const KEY: &str = "vk_live_0123456789abcdef";

fn with_key(store: Store) -> Env {
    let env = Env::new(store);
    env.secret(KEY);
    env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
        .stdin(&format!("{KEY}\n"))
        .ok()
        .stderr_has("Stored the API key for profile 'default'");
    env
}

#[test]
fn an_api_key_is_handed_out_in_every_format() {
    for store in stores() {
        let env = with_key(store);
        env.run(&["token"])
            .reveals()
            .ok()
            .stdout_is(&format!("{KEY}\n"))
            .stderr_is_empty();
        env.run(&["token", "--format", "header"])
            .reveals()
            .ok()
            .stdout_is(&format!("Authorization: Bearer {KEY}\n"));
        let json = env
            .run(&["token", "--format", "json"])
            .reveals()
            .ok()
            .json();
        assert_eq!(json["profile"], "default");
        assert_eq!(json["provider"], "virtuous");
        assert_eq!(json["kind"], "api_key");
        assert_eq!(json["token"], KEY);
        assert_eq!(json["token_type"], "Bearer");
        assert_eq!(json["header"], format!("Authorization: Bearer {KEY}"));
        assert_eq!(json["header_name"], "Authorization");
        assert_eq!(json["header_value"], format!("Bearer {KEY}"));
        assert!(json["expires_at"].is_null() && json["expires_in"].is_null());
        env.run(&["token", "--format", "env"])
            .reveals()
            .ok()
            .stdout_is(&format!(
                "CRMAUTH_TOKEN='{KEY}'\nCRMAUTH_HEADER='Authorization: Bearer {KEY}'\nCRMAUTH_AUTHORIZATION='Bearer {KEY}'\n"
            ));
    }
}

#[test]
fn whoami_describes_the_profile_without_the_secret() {
    for store in stores() {
        let env = with_key(store);
        let json = env.run(&["whoami", "--json"]).ok().json();
        let keys: Vec<&str> = json
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        for key in [
            "profile",
            "provider",
            "url",
            "user",
            "kind",
            "store",
            "obtained_at",
            "expires_at",
            "expires_in",
            "has_refresh_token",
            "refresh_expires_at",
            "scopes",
            "jwt_claims",
        ] {
            assert!(keys.contains(&key), "whoami --json lacks {key}: {json}");
        }
        assert_eq!(json["kind"], "api_key");
        assert_eq!(json["store"], store.name());
        assert_eq!(json["url"], "https://api.virtuoussoftware.com");
        assert_eq!(json["has_refresh_token"], false);
        assert!(
            json["obtained_at"]
                .as_str()
                .is_some_and(|t| t.ends_with('Z'))
        );
        env.run(&["whoami"])
            .ok()
            .stdout_has("api_key")
            .stdout_has("virtuous");
    }
}

#[test]
fn profiles_lists_and_switches_the_default() {
    let env = with_key(Store::File);
    env.run(&[
        "-p",
        "staging",
        "apikey",
        "set",
        "--provider",
        "virtuous",
        "--key-stdin",
        "--url",
        "https://staging.example.com",
    ])
    .stdin("other-key")
    .secret("other-key")
    .ok();
    let list = env.run(&["profiles", "--json"]).ok().json();
    let rows = list.as_array().expect("array");
    assert_eq!(rows.len(), 2);
    let default = rows
        .iter()
        .find(|row| row["name"] == "default")
        .expect("default row");
    assert_eq!(default["default"], true, "the first login sets the default");
    let staging = rows
        .iter()
        .find(|row| row["name"] == "staging")
        .expect("staging row");
    assert_eq!(staging["default"], false);
    assert_eq!(staging["url"], "https://staging.example.com");
    assert_eq!(staging["kind"], "api_key");
    assert!(staging["expires_at"].is_null());

    env.run(&["profiles", "use", "staging"]).ok();
    env.run(&["token"]).reveals().ok().stdout_is("other-key\n");
    env.run(&["profiles"])
        .ok()
        .stdout_has("staging")
        .stdout_has("*");
    env.run(&["profiles", "use", "nope"])
        .code(3)
        .stderr_has("no profile named 'nope'");
}

#[test]
fn the_profile_comes_from_the_flag_then_the_environment() {
    let env = with_key(Store::File);
    env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
        .env("CRMAUTH_PROFILE", "ci")
        .stdin("ci-key")
        .secret("ci-key")
        .ok();
    env.run(&["token"])
        .env("CRMAUTH_PROFILE", "ci")
        .reveals()
        .ok()
        .stdout_is("ci-key\n");
    env.run(&["token", "-p", "default"])
        .reveals()
        .ok()
        .stdout_is(&format!("{KEY}\n"));
    env.run(&["token", "--profile", "ci"])
        .reveals()
        .ok()
        .stdout_is("ci-key\n");
}

#[test]
fn logout_forgets_the_secret_and_the_default() {
    for store in stores() {
        let env = with_key(store);
        env.run(&["logout"])
            .ok()
            .stderr_has("Logged out of profile 'default'");
        env.run(&["token"])
            .code(3)
            .stderr_has("crmauth login -p default");
        let list = env.run(&["profiles", "--json"]).ok().json();
        assert_eq!(list, serde_json::json!([]));
        env.run(&["logout"]).code(3);
    }
}

#[test]
fn logout_all_forgets_every_profile() {
    let env = with_key(Store::File);
    env.run(&[
        "-p",
        "b",
        "apikey",
        "set",
        "--provider",
        "virtuous",
        "--key-stdin",
    ])
    .stdin("kb")
    .secret("kb")
    .ok();
    env.run(&["logout", "--all"]).ok();
    env.run(&["token"]).code(3);
    env.run(&["-p", "b", "token"]).code(3);
    assert!(!env.read("credentials.json").contains("kb"));
}

#[test]
fn an_unknown_profile_is_exit_3_with_the_next_step() {
    for store in stores() {
        let env = Env::new(store);
        env.run(&["-p", "prod", "token"])
            .code(3)
            .stderr_has("no credential stored for profile 'prod'")
            .stderr_has("crmauth login -p prod")
            .stderr_lines_at_most(2);
        env.run(&["whoami"]).code(3);
    }
}

#[test]
fn a_corrupt_profiles_file_is_named_and_never_rewritten() {
    let env = with_key(Store::File);
    let corrupt = "{ \"profiles\": [ truncated";
    std::fs::write(env.path("profiles.json"), corrupt).expect("write");
    for args in [
        vec!["token"],
        vec!["whoami"],
        vec!["profiles"],
        vec!["profiles", "use", "default"],
        vec!["logout"],
        vec!["apikey", "set", "--provider", "virtuous", "--key-stdin"],
    ] {
        env.run(&args)
            .stdin("new-key")
            .secret("new-key")
            .code(1)
            .stderr_has("profiles.json is not valid")
            .stderr_lines_at_most(2);
    }
    assert_eq!(env.read("profiles.json"), corrupt);
}

#[test]
#[cfg(unix)] // file modes are Unix; Windows has ACLs (README, "Windows")
fn a_world_readable_credentials_file_is_refused_not_fixed() {
    use std::os::unix::fs::PermissionsExt;
    let env = with_key(Store::File);
    let path = env.path("credentials.json");
    assert_eq!(
        std::fs::metadata(&path).expect("stat").permissions().mode() & 0o777,
        0o600
    );
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    env.run(&["token"]).code(1).stderr_has("chmod 600");
    assert_eq!(
        std::fs::metadata(&path).expect("stat").permissions().mode() & 0o777,
        0o644
    );
}

#[test]
fn the_file_store_says_when_it_writes_a_secret() {
    let env = Env::new(Store::File);
    env.secret("file-store-key");
    env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
        .stdin("file-store-key")
        .ok()
        .stderr_has("credentials.json");
    env.run(&["token"]).reveals().ok().stderr_is_empty();
    env.run(&[
        "-q",
        "apikey",
        "set",
        "--provider",
        "virtuous",
        "--key-stdin",
    ])
    .stdin("file-store-key")
    .ok()
    .stderr_is_empty();
}

#[test]
fn secrets_from_stdin_lose_one_newline_only() {
    let env = Env::new(Store::File);
    env.secret("a key with spaces ");
    env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
        .stdin("a key with spaces \r\n")
        .ok();
    env.run(&["token"])
        .reveals()
        .ok()
        .stdout_is("a key with spaces \n");
    env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
        .stdin("\n")
        .code(2)
        .stderr_has("empty");
    env.run(&["token"])
        .reveals()
        .ok()
        .stdout_is("a key with spaces \n");
}

#[test]
fn a_missing_key_without_a_terminal_names_the_flag_and_variable() {
    let env = Env::new(Store::File);
    env.run(&["apikey", "set", "--provider", "virtuous"])
        .code(2)
        .stderr_has("--key-stdin")
        .stderr_has("CRMAUTH_API_KEY");
    env.secret("env-key");
    env.run(&["apikey", "set", "--provider", "virtuous"])
        .env("CRMAUTH_API_KEY", "env-key")
        .ok();
    env.run(&["token"]).reveals().ok().stdout_is("env-key\n");
}

#[test]
fn bad_input_is_a_usage_error() {
    let env = Env::new(Store::File);
    for name in ["a/b", "..", ".hidden", "tab\tname"] {
        env.run(&["-p", name, "token"])
            .code(2)
            .stderr_has("invalid profile name");
    }
    // Command-line mistakes: the error on one line, then one help line.
    env.run(&["token", "--format", "yaml"])
        .code(2)
        .stderr_has("invalid value 'yaml' for '--format <FORMAT>' [possible values: raw")
        .stderr_has("help: see 'crmauth token --help'")
        .stderr_lines_at_most(2);
    env.run(&["token", "--min-valid", "soon"])
        .code(2)
        .stderr_has("not a duration")
        .stderr_lines_at_most(2);
    env.run(&["--store", "safe", "token"])
        .code(2)
        .stderr_lines_at_most(2);
    env.run(&["token"])
        .env("CRMAUTH_TIMEOUT", "0")
        .code(2)
        .stderr_has("help: the value comes from CRMAUTH_TIMEOUT")
        .stderr_lines_at_most(2);
    env.run(&["-p", "x", "login", "--usrname", "ann"])
        .code(2)
        .stderr_has("help: a similar argument exists: '--username'; see 'crmauth login --help'")
        .stderr_lines_at_most(2);
    env.run(&["frobnicate"])
        .code(2)
        .stderr_has("unrecognized subcommand 'frobnicate'")
        .stderr_lines_at_most(2);
    env.run(&[
        "apikey",
        "set",
        "--provider",
        "virtuous",
        "--key-stdin",
        "--url",
        "http://crm.example.com",
    ])
    .stdin("k")
    .code(2)
    .stderr_has("http://");
    env.run(&[
        "apikey",
        "set",
        "--provider",
        "virtuous",
        "--key-stdin",
        "--url",
        "crm.example.com",
    ])
    .stdin("k")
    .code(2);
    assert!(
        !env.path("profiles.json").exists(),
        "nothing is stored on bad input"
    );
}

#[test]
fn refresh_of_an_api_key_has_nothing_to_refresh() {
    let env = with_key(Store::File);
    env.run(&["refresh"])
        .code(2)
        .stderr_has("nothing to refresh");
}

#[test]
fn separate_config_dirs_never_share_keyring_entries() {
    let first = with_key(Store::Keyring);
    let second = Env::new(Store::Keyring);
    second.run(&["token"]).code(3);
    first
        .run(&["token"])
        .reveals()
        .ok()
        .stdout_is(&format!("{KEY}\n"));
}

#[test]
fn every_spelling_of_a_config_dir_finds_the_same_keyring_entry() {
    let env = with_key(Store::Keyring);
    let dir = env.config_dir().to_path_buf();
    let name = dir
        .file_name()
        .expect("a name")
        .to_string_lossy()
        .into_owned();
    let link = dir.with_file_name(format!("{name}-link"));
    let spellings: Vec<String> = [
        format!("{}/", dir.display()),
        format!("{}/../{name}", dir.display()),
        format!("{}/./", dir.display()),
    ]
    .into_iter()
    .chain(symlink(&dir, &link).then(|| link.display().to_string()))
    .collect();
    for spelling in &spellings {
        env.run(&["token"])
            .env("CRMAUTH_CONFIG_DIR", spelling)
            .reveals()
            .ok()
            .stdout_is(&format!("{KEY}\n"));
    }
    // Logging out through another spelling removes the secret itself.
    env.run(&["logout"])
        .env("CRMAUTH_CONFIG_DIR", &spellings[spellings.len() - 1])
        .ok();
    env.run(&["token"]).code(3);
    // The entry itself is gone, as the Secret Service shows it.
    #[cfg(target_os = "linux")]
    {
        let leftover = std::process::Command::new("secret-tool")
            .args([
                "search",
                "--all",
                "service",
                &format!("crmauth:{}", dir.display()),
            ])
            .output()
            .expect("secret-tool");
        assert!(
            !String::from_utf8_lossy(&leftover.stdout).contains("label"),
            "the secret stayed in the keyring"
        );
    }
    let _ = std::fs::remove_file(&link);
}

/// Makes `link` point to `dir`, on Unix. Not on Windows: there a symlink
/// needs a privilege, and Wine's directory symlinks are a no-op.
#[cfg(unix)]
fn symlink(dir: &std::path::Path, link: &std::path::Path) -> bool {
    std::os::unix::fs::symlink(dir, link).expect("symlink");
    true
}

#[cfg(not(unix))]
fn symlink(_dir: &std::path::Path, _link: &std::path::Path) -> bool {
    false
}

#[test]
#[cfg(target_os = "linux")] // reads or writes the entry with secret-tool (Secret Service)
fn the_keyring_entry_is_visible_to_secret_tool() {
    let env = with_key(Store::Keyring);
    let service = format!("crmauth:{}", env.config_dir().display());
    let output = std::process::Command::new("secret-tool")
        .args([
            "search", "--all", "service", &service, "username", "default",
        ])
        .output()
        .expect("secret-tool");
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(
        text.contains(&format!("attribute.service = {service}")),
        "{text}"
    );
    // What someone browsing the keyring sees.
    let dir = service.strip_prefix("crmauth:").expect("a test config dir");
    assert!(
        text.contains(&format!("label = crmauth profile 'default' ({dir})")),
        "{text}"
    );
}

#[test]
#[cfg(target_os = "linux")] // the Secret Service is reached over D-Bus
fn without_a_session_bus_the_keyring_fails_fast_with_exit_6() {
    use std::time::{Duration, Instant};
    let env = with_key(Store::Keyring);
    // The profile exists; its secret is in a keyring that is now unreachable.
    let started = Instant::now();
    env.run(&["token"])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .env("XDG_RUNTIME_DIR", "/nonexistent")
        .code(6)
        .stderr_has("--store file")
        .stderr_lines_at_most(2);
    assert!(started.elapsed() < Duration::from_secs(5));
    env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .stdin("k2")
        .secret("k2")
        .code(6);
    env.run(&["token"])
        .reveals()
        .ok()
        .stdout_is(&format!("{KEY}\n"));
}

#[test]
fn completions_are_printed_for_every_shell() {
    let env = Env::new(Store::File);
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = env.run(&["completions", shell]).ok();
        assert!(out.stdout.contains("crmauth"), "{shell}");
    }
    env.run(&["completions", "tcsh"]).code(2);
}

#[test]
fn commands_of_later_issues_exist_in_help() {
    let env = Env::new(Store::File);
    let help = env.run(&["--help"]).ok();
    for command in [
        "login",
        "refresh",
        "apikey",
        "authtoken",
        "token",
        "whoami",
        "curl",
        "logout",
        "profiles",
        "completions",
    ] {
        assert!(help.stdout.contains(command), "--help lacks {command}");
    }
    assert!(help.stdout.contains("Exit codes"));
}

#[test]
#[cfg(target_os = "linux")] // reads or writes the entry with secret-tool (Secret Service)
fn a_damaged_keyring_record_is_exit_1_not_a_keyring_failure() {
    let env = with_key(Store::Keyring);
    let service = format!("crmauth:{}", env.config_dir().display());
    let status = std::process::Command::new("sh")
        .args([
            "-c",
            r#"printf '\377\376' | secret-tool store --label=damaged service "$1" username default"#,
            "sh",
            &service,
        ])
        .status()
        .expect("secret-tool");
    assert!(status.success());
    env.run(&["token"])
        .code(1)
        .stderr_has(
            "the stored credential for 'default' is damaged: the stored secret is not UTF-8",
        )
        .stderr_has("crmauth logout -p default")
        .stderr_lines_at_most(2);
}

/// A profile remembers which store holds its secrets: a command told the
/// other store says so (instead of "not logged in", or a logout that leaves
/// the secret behind), and a new login into the other store moves it.
#[test]
#[cfg(target_os = "linux")] // reads or writes the entry with secret-tool (Secret Service)
fn a_profile_remembers_its_store() {
    let env = with_key(Store::Keyring);
    let service = format!("crmauth:{}", env.config_dir().display());
    let in_keyring = || {
        let output = std::process::Command::new("secret-tool")
            .args(["search", "--all", "service", &service])
            .output()
            .expect("secret-tool");
        // secret-tool prints the attributes on stderr.
        let text = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        text.contains("attribute.username = default")
    };
    for args in [&["token"][..], &["logout"][..], &["whoami"][..]] {
        env.run(args)
            .env("CRMAUTH_STORE", "file")
            .code(2)
            .stderr_has("profile 'default' keeps its secrets in the OS keyring, not the file store")
            .stderr_has("--store keyring")
            .stderr_lines_at_most(2);
    }
    assert!(in_keyring(), "a refused logout removed the secret");
    env.run(&["token"])
        .reveals()
        .ok()
        .stdout_is(&format!("{KEY}\n"));

    env.secret("moved-key");
    env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
        .env("CRMAUTH_STORE", "file")
        .stdin("moved-key")
        .ok();
    assert!(!in_keyring(), "the old secret stayed in the keyring");
    env.run(&["token"])
        .env("CRMAUTH_STORE", "file")
        .reveals()
        .ok()
        .stdout_is("moved-key\n");
    env.run(&["token"])
        .code(2)
        .stderr_has("keeps its secrets in the file store");
}
