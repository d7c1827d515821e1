//! `--store vault` against a real OpenBao dev server: one login shared by
//! machines (config dirs), a refresh that is single-flight across them, a
//! lease whose holder died, and each way Vault can fail (exit 6 with the
//! variable or command that fixes it). Every run is checked for leaks,
//! the Vault token included.

mod support;

use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;
use support::bao::Bao;
use support::crmauth::{Env, Run, Store};
use support::virto::FakeVirto;

const USER: &str = "fleet@example.org";
const PASSWORD: &str = "fleet-password";

/// A config dir ("machine") whose runs use `bao`'s Vault.
fn machine(bao: &Bao) -> Env {
    let env = Env::new(Store::File);
    env.secret(&bao.token);
    env.secret(PASSWORD);
    env
}

/// `crmauth --store vault ...` on `env` with `bao`'s address and token.
fn vault(env: &Env, bao: &Bao, args: &[&str]) -> Run {
    env.run(args)
        .env("CRMAUTH_STORE", "vault")
        .env("VAULT_ADDR", &bao.addr)
        .env("VAULT_TOKEN", &bao.token)
        .env("HOME", env.path("home"))
        .env_remove("BAO_ADDR")
        .env_remove("BAO_TOKEN")
        .env_remove("VAULT_NAMESPACE")
        .env_remove("VAULT_CACERT")
        .env_remove("BAO_CACERT")
}

/// The same as a plain process, for runs started together.
fn vault_command(env: &Env, bao: &Bao, args: &[&str]) -> Command {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("crmauth"));
    for (key, _) in std::env::vars_os() {
        let name = key.to_string_lossy();
        if (name.starts_with("CRMAUTH_") && name != "CRMAUTH_TEST_KEYRING")
            || name.starts_with("VAULT_")
            || name.starts_with("BAO_")
        {
            command.env_remove(&key);
        }
    }
    command
        .env("CRMAUTH_CONFIG_DIR", env.config_dir())
        .env("CRMAUTH_STORE", "vault")
        .env("XDG_CONFIG_HOME", env.config_dir().join("xdg"))
        .env("HOME", env.path("home"))
        .env("VAULT_ADDR", &bao.addr)
        .env("VAULT_TOKEN", &bao.token)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn login(env: &Env, bao: &Bao, profile: &str, server: &FakeVirto) {
    vault(
        env,
        bao,
        &[
            "-p",
            profile,
            "login",
            "--provider",
            "virto",
            "--url",
            &server.url(),
            "--username",
            USER,
        ],
    )
    .env("CRMAUTH_PASSWORD", PASSWORD)
    .ok();
}

/// Registers every token the server issued as a secret of `envs`.
fn secrets_of(server: &FakeVirto, envs: &[&Env]) {
    for env in envs {
        for token in server
            .issued_access_tokens()
            .iter()
            .chain(&server.issued_refresh_tokens())
        {
            env.secret(token);
        }
    }
}

fn wait_for_refresh(server: &FakeVirto) {
    let started = Instant::now();
    while !server
        .requests_to("/connect/token")
        .iter()
        .any(|request| request.form_value("grant_type") == Some("refresh_token"))
    {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no refresh arrived"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_machine_that_never_logged_in_uses_the_shared_profile() {
    let Some(bao) = Bao::start() else { return };
    let server = FakeVirto::start();
    server.add_user(USER, PASSWORD);
    let first = machine(&bao);
    login(&first, &bao, "shop", &server);
    let token = server.last_access_token().expect("issued");
    let second = machine(&bao);
    secrets_of(&server, &[&first, &second]);

    vault(&first, &bao, &["-p", "shop", "token"])
        .reveals()
        .ok()
        .stdout_is(&format!("{token}\n"));
    assert!(
        !first.path("credentials.json").exists(),
        "the secret went to a file"
    );
    let record = bao
        .read("secret", "crmauth/shop")
        .expect("the shared record");
    assert_eq!(record["crmauth"], 1);
    assert_eq!(record["settings"]["url"], server.url());
    assert_eq!(record["settings"]["user"], USER);
    assert_eq!(record["credential"]["access_token"], token.as_str());

    // The second machine has no profiles.json at all.
    vault(&second, &bao, &["-p", "shop", "token"])
        .reveals()
        .ok()
        .stdout_is(&format!("{token}\n"))
        .stderr_is_empty();
    let whoami = vault(&second, &bao, &["-p", "shop", "whoami", "--json"])
        .ok()
        .json();
    assert_eq!(whoami["url"], server.url());
    assert_eq!(whoami["user"], USER);
    assert_eq!(whoami["store"], "vault");
    let profiles = vault(&second, &bao, &["profiles", "--json"]).ok().json();
    let names: Vec<&str> = profiles
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(names, ["shop"], "{profiles}");
    vault(
        &second,
        &bao,
        &[
            "-p",
            "shop",
            "curl",
            "-sf",
            "/api/platform/security/currentuser",
        ],
    )
    .ok()
    .stdout_has(&format!("\"userName\":\"{USER}\""));
    assert!(
        !second.path("profiles.json").exists(),
        "using a shared profile wrote a local one"
    );
}

#[test]
fn vault_mount_and_path_choose_where_the_record_lives() {
    let Some(bao) = Bao::start() else { return };
    bao.enable_kv("team-kv", 2);
    let server = FakeVirto::start();
    server.add_user(USER, PASSWORD);
    let first = machine(&bao);
    let url = server.url();
    let args = [
        "--vault-mount",
        "team-kv",
        "--vault-path",
        "crm/fleet",
        "-p",
        "ci",
        "login",
        "--provider",
        "virto",
        "--url",
        &url,
        "--username",
        USER,
    ];
    vault(&first, &bao, &args)
        .env("CRMAUTH_PASSWORD", PASSWORD)
        .ok();
    secrets_of(&server, &[&first]);
    assert!(bao.read("team-kv", "crm/fleet/ci").is_some());
    assert!(bao.read("secret", "crmauth/ci").is_none());
    let second = machine(&bao);
    secrets_of(&server, &[&second]);
    vault(&second, &bao, &["-p", "ci", "token"])
        .env("CRMAUTH_VAULT_MOUNT", "team-kv")
        .env("CRMAUTH_VAULT_PATH", "crm/fleet")
        .reveals()
        .ok();
    // Elsewhere in Vault there is no such profile.
    vault(&second, &bao, &["-p", "ci", "token"]).code(3);
}

/// 2 machines × 10 processes ask for a token that is about to expire, from
/// a server whose refresh tokens are single-use and which takes 1 s to
/// answer: one refresh grant for the whole fleet, one token for all.
#[test]
fn twenty_processes_on_two_machines_make_one_refresh_grant() {
    let Some(bao) = Bao::start() else { return };
    let server = FakeVirto::start();
    server.add_user(USER, PASSWORD);
    server.set_expires_in(Some(30)); // within the default --min-valid of 60s
    let first = machine(&bao);
    login(&first, &bao, "shop", &server);
    let stale = server.last_access_token().expect("issued");
    let second = machine(&bao);
    server.set_expires_in(Some(3600));
    server.set_delay_for("/connect/token", Duration::from_secs(1));

    let children: Vec<Child> = (0..20)
        .map(|i| {
            let env = if i % 2 == 0 { &first } else { &second };
            vault_command(env, &bao, &["-p", "shop", "token"])
                .spawn()
                .expect("spawn crmauth")
        })
        .collect();
    let outputs: Vec<Output> = children
        .into_iter()
        .map(|child| child.wait_with_output().expect("wait for crmauth"))
        .collect();

    let mut tokens = Vec::new();
    for output in &outputs {
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "crmauth token failed: {stderr}");
        assert_eq!(stderr, "", "crmauth token wrote to stderr");
        tokens.push(String::from_utf8_lossy(&output.stdout).into_owned());
    }
    assert_eq!(server.grant_count("refresh_token"), 1, "refresh grants");
    let token = tokens[0].trim_end().to_string();
    assert!(
        tokens.iter().all(|t| t.trim_end() == token),
        "not one token: {tokens:?}"
    );
    assert_ne!(token, stale);
    assert!(server.valid_access_token(&token));
    // The rotated refresh token is the one in Vault, and it works.
    let record = bao.read("secret", "crmauth/shop").expect("record");
    let refresh = record["credential"]["refresh_token"]
        .as_str()
        .expect("refresh token")
        .to_string();
    assert!(server.valid_refresh_token(&refresh));
    secrets_of(&server, &[&first, &second]);
    server.set_delay_for("/connect/token", Duration::ZERO);
    vault(&second, &bao, &["-p", "shop", "refresh"]).ok();
    assert_eq!(server.grant_count("refresh_token"), 2);
}

/// With a --min-valid longer than the tokens live, a machine that waited for
/// the lease uses the token the other one got instead of refreshing again.
#[test]
fn a_machine_that_waited_for_the_lease_uses_the_token_the_other_got() {
    let Some(bao) = Bao::start() else { return };
    let server = FakeVirto::start();
    server.add_user(USER, PASSWORD);
    let first = machine(&bao);
    login(&first, &bao, "shop", &server);
    let second = machine(&bao);
    // Long enough that both have read the record before the refresh ends.
    server.set_delay_for("/connect/token", Duration::from_secs(2));
    let args = ["-p", "shop", "token", "--min-valid", "2h"];
    let children: Vec<Child> = [&first, &second]
        .iter()
        .map(|env| vault_command(env, &bao, &args).spawn().expect("spawn"))
        .collect();
    let outputs: Vec<Output> = children
        .into_iter()
        .map(|child| child.wait_with_output().expect("wait"))
        .collect();
    for output in &outputs {
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert_eq!(server.grant_count("refresh_token"), 1, "refresh grants");
    assert_eq!(outputs[0].stdout, outputs[1].stdout);
}

/// A holder killed after taking the lease (here: while its token request
/// hangs) blocks the others only until its lease expires.
#[test]
fn a_lease_whose_holder_died_is_taken_over_once_it_expires() {
    let Some(bao) = Bao::start() else { return };
    let server = FakeVirto::start();
    server.add_user(USER, PASSWORD);
    server.set_expires_in(Some(30));
    let first = machine(&bao);
    login(&first, &bao, "shop", &server);
    let second = machine(&bao);
    secrets_of(&server, &[&first, &second]);
    server.hang_next("/connect/token");

    // --timeout 2: a lease of 4 s.
    let mut holder = vault_command(&first, &bao, &["--timeout", "2", "-p", "shop", "refresh"])
        .spawn()
        .expect("spawn crmauth");
    wait_for_refresh(&server);
    let taken = Instant::now();
    holder.kill().expect("kill the holder");
    let _ = holder.wait();
    let lease = bao
        .read("secret", "crmauth/shop.lease")
        .expect("the dead holder's lease");
    assert!(lease["owner"].as_str().is_some_and(|o| o.contains("pid")));

    let started = Instant::now();
    let outcome = vault(&second, &bao, &["--timeout", "2", "-p", "shop", "token"])
        .reveals()
        .ok();
    let waited = started.elapsed();
    let since_taken = taken.elapsed();
    secrets_of(&server, &[&first, &second]);
    let token = outcome.stdout.trim_end();
    assert_eq!(Some(token.to_string()), server.last_access_token());
    assert!(
        since_taken >= Duration::from_millis(3000),
        "the live lease was not respected: done {since_taken:?} after it was taken"
    );
    assert!(
        waited < Duration::from_secs(8),
        "blocked {waited:?}, past the lease's expiry"
    );
    assert_eq!(server.grant_count("refresh_token"), 1);
}

#[test]
fn logout_removes_the_shared_record_for_every_machine() {
    let Some(bao) = Bao::start() else { return };
    let server = FakeVirto::start();
    server.add_user(USER, PASSWORD);
    let first = machine(&bao);
    login(&first, &bao, "shop", &server);
    let second = machine(&bao);
    secrets_of(&server, &[&first, &second]);
    vault(&second, &bao, &["-p", "shop", "logout"])
        .ok()
        .stderr_has("every machine");
    assert!(bao.read("secret", "crmauth/shop").is_none());
    vault(&first, &bao, &["-p", "shop", "token"]).code(3);
}

#[test]
fn vault_trouble_is_exit_6_with_what_fixes_it() {
    let Some(bao) = Bao::start() else { return };
    let env = machine(&bao);
    let wrong = "hvs.wrong-token-0123456789";
    env.secret(wrong);

    // Vault down: nothing listens there.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    vault(&env, &bao, &["-v", "-p", "shop", "token"])
        .env("VAULT_ADDR", format!("http://127.0.0.1:{closed}"))
        .code(6)
        .stderr_has("unreachable")
        .stderr_has("VAULT_ADDR");

    // A Vault that accepts the connection and never answers: exit 6 within
    // the request timeout.
    let silent = support::FakeServer::start_fn(|_| support::FakeResponse::empty(200));
    silent.hang("/v1/sys/internal/ui/mounts/secret");
    let started = Instant::now();
    vault(&env, &bao, &["--timeout", "1", "-p", "shop", "token"])
        .env("VAULT_ADDR", silent.url())
        .code(6)
        .stderr_has("timed out")
        .stderr_has("VAULT_ADDR");
    assert!(started.elapsed() < Duration::from_secs(5));

    // A token Vault does not know (expired, revoked, mistyped).
    vault(&env, &bao, &["-v", "-p", "shop", "token"])
        .env("VAULT_TOKEN", wrong)
        .code(6)
        .stderr_has("permission denied")
        .stderr_has("VAULT_TOKEN")
        .stderr_lacks(&bao.token);

    // No token anywhere; then one in ~/.vault-token, which is enough.
    vault(&env, &bao, &["-p", "shop", "token"])
        .env_remove("VAULT_TOKEN")
        .code(6)
        .stderr_has("VAULT_TOKEN")
        .stderr_has("vault login")
        .stderr_lines_at_most(2);
    std::fs::create_dir_all(env.path("home")).expect("home");
    std::fs::write(env.path("home/.vault-token"), format!("{}\n", bao.token)).expect("token file");
    vault(&env, &bao, &["-p", "shop", "token"])
        .env_remove("VAULT_TOKEN")
        .code(3);

    // A KV version 1 engine, and no engine at all.
    bao.enable_kv("kv1", 1);
    vault(&env, &bao, &["--vault-mount", "kv1", "-p", "shop", "token"])
        .code(6)
        .stderr_has("KV version 1")
        .stderr_has("--vault-mount");
    vault(
        &env,
        &bao,
        &["--vault-mount", "nothing", "-p", "shop", "token"],
    )
    .code(6)
    .stderr_has("secrets enable");

    // Something else's record where crmauth keeps its own.
    bao.put(
        "secret",
        "crmauth/alien",
        &json!({ "password": "not-crmauth-s" }),
    );
    env.secret("not-crmauth-s");
    vault(&env, &bao, &["-p", "alien", "token"])
        .code(6)
        .stderr_has("not written by crmauth")
        .stderr_has("--vault-path");

    // A profile name that would be another profile's lease.
    vault(&env, &bao, &["-p", "shop.lease", "token"])
        .code(2)
        .stderr_has(".lease");

    // A plain-http Vault address that leaves the machine.
    vault(&env, &bao, &["-p", "shop", "token"])
        .env("VAULT_ADDR", "http://vault.example.com:8200")
        .code(2)
        .stderr_has("https");

    // Sealed.
    bao.seal();
    vault(&env, &bao, &["-p", "shop", "token"])
        .code(6)
        .stderr_has("sealed")
        .stderr_has("unseal");
}

/// A login on one machine while another refreshes: the refresh's write
/// names the version it read, loses the check-and-set, and the login stays.
#[test]
fn a_login_during_a_refresh_on_another_machine_is_not_overwritten() {
    let Some(bao) = Bao::start() else { return };
    let slow = FakeVirto::start();
    slow.add_user(USER, PASSWORD);
    let other = FakeVirto::start();
    other.add_user(USER, PASSWORD);
    let first = machine(&bao);
    login(&first, &bao, "shop", &slow);
    let second = machine(&bao);
    secrets_of(&slow, &[&first, &second]);
    slow.set_delay_for("/connect/token", Duration::from_secs(1));
    std::thread::scope(|scope| {
        let refresh = scope.spawn(|| vault(&first, &bao, &["-p", "shop", "refresh"]).output());
        wait_for_refresh(&slow);
        login(&second, &bao, "shop", &other);
        secrets_of(&slow, &[&first, &second]);
        secrets_of(&other, &[&first, &second]);
        let refresh = refresh.join().expect("refresh thread");
        assert_eq!(refresh.code, 1, "{}", refresh.stderr);
        assert!(
            refresh.stderr.contains("another machine"),
            "{}",
            refresh.stderr
        );
    });
    assert_eq!(slow.grant_count("refresh_token"), 1, "the refresh ran");
    let record = bao.read("secret", "crmauth/shop").expect("record");
    assert_eq!(record["settings"]["url"], other.url());
    let token = other.last_access_token().expect("issued");
    vault(&first, &bao, &["-p", "shop", "token"])
        .reveals()
        .ok()
        .stdout_is(&format!("{token}\n"));
}

/// The policy the README gives is enough for every command, lease included.
#[test]
fn the_policy_in_the_readme_is_enough() {
    let Some(bao) = Bao::start() else { return };
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let policy: String = readme
        .lines()
        .filter(|line| line.trim_start().starts_with("path \"secret/"))
        .map(|line| format!("{}\n", line.trim()))
        .collect();
    assert!(policy.contains("metadata"), "no policy in README.md");
    let (status, body) = bao.post("sys/policies/acl/crmauth", &json!({ "policy": policy }));
    assert_eq!(status, 204, "{body}");
    let (status, body) = bao.post(
        "auth/token/create",
        &json!({ "policies": ["crmauth"], "no_default_policy": true }),
    );
    assert_eq!(status, 200, "{body}");
    let limited = body["auth"]["client_token"]
        .as_str()
        .expect("token")
        .to_string();

    let server = FakeVirto::start();
    server.add_user(USER, PASSWORD);
    server.set_expires_in(Some(30));
    let first = machine(&bao);
    first.secret(&limited);
    vault(
        &first,
        &bao,
        &[
            "-p",
            "shop",
            "login",
            "--provider",
            "virto",
            "--url",
            &server.url(),
            "--username",
            USER,
        ],
    )
    .env("VAULT_TOKEN", &limited)
    .env("CRMAUTH_PASSWORD", PASSWORD)
    .ok();
    let second = machine(&bao);
    second.secret(&limited);
    server.set_expires_in(Some(3600));
    vault(&second, &bao, &["-p", "shop", "token"])
        .env("VAULT_TOKEN", &limited)
        .reveals()
        .ok();
    assert_eq!(server.grant_count("refresh_token"), 1);
    secrets_of(&server, &[&first, &second]);
    vault(&second, &bao, &["profiles", "--json"])
        .env("VAULT_TOKEN", &limited)
        .ok()
        .stdout_has("\"shop\"");
    vault(&second, &bao, &["-p", "shop", "logout"])
        .env("VAULT_TOKEN", &limited)
        .ok();
    assert!(bao.read("secret", "crmauth/shop").is_none());
    assert!(bao.read("secret", "crmauth/shop.lease").is_none());
}
