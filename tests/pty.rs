//! The prompts, for real: crmauth runs under a pseudo-terminal (expectrl), the
//! test types like a person, and checks what the screen showed and what was
//! stored. Secrets typed at a hidden prompt must never appear on the screen.
#![cfg(unix)]

mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use expectrl::process::unix::{Signal, WaitStatus};
use expectrl::session::OsSession;
use expectrl::{Any, ControlCode, Eof, Expect, Needle, Regex, Session};
use support::crmauth::{Env, Store};
use support::{FakeVirto, FakeVirtuous};

const TIMEOUT: Duration = Duration::from_secs(15);

/// One crmauth process on a pseudo-terminal (stdin, stdout and stderr), and
/// everything it has written to the screen so far.
struct Pty {
    session: OsSession,
    screen: String,
}

impl Pty {
    fn spawn(env: &Env, args: &[&str]) -> Pty {
        Self::spawn_with_colour(env, args, false)
    }

    /// `colour`: whether NO_COLOR is left unset.
    fn spawn_with_colour(env: &Env, args: &[&str], colour: bool) -> Pty {
        // The pty library turns echo off in the child; a person's terminal
        // echoes, so turn it back on before crmauth starts. Only then does
        // "the hidden prompt turned echo off" mean anything.
        let mut command = Command::new("/bin/sh");
        command
            .arg("-c")
            .arg(r#"stty echo && exec "$0" "$@""#)
            .arg(env!("CARGO_BIN_EXE_crmauth"));
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("CRMAUTH_") {
                command.env_remove(&key);
            }
        }
        command
            .env("CRMAUTH_CONFIG_DIR", env.config_dir())
            .env("CRMAUTH_STORE", env.store.name())
            .env("XDG_CONFIG_HOME", env.config_dir().join("xdg"))
            .env_remove("CLICOLOR")
            .env_remove("CLICOLOR_FORCE")
            .env("TERM", "xterm")
            .args(args);
        if colour {
            command.env_remove("NO_COLOR");
        } else {
            command.env("NO_COLOR", "1");
        }
        let mut session = Session::spawn(command).expect("spawn crmauth on a pty");
        session.set_expect_timeout(Some(TIMEOUT));
        let _ = session.get_process_mut().set_window_size(80, 24);
        Pty {
            session,
            screen: String::new(),
        }
    }

    /// Waits until the screen shows `pattern` (a regex).
    fn expect(&mut self, pattern: &str) -> &mut Self {
        let needle = Any::boxed(vec![Box::new(Regex(pattern.to_string())), Box::new(Eof)]);
        let found = self.session.expect(needle);
        let matched = match &found {
            Ok(found) => {
                self.screen
                    .push_str(&String::from_utf8_lossy(found.before()));
                let text = String::from_utf8_lossy(found.get(0).unwrap_or_default()).to_string();
                self.screen.push_str(&text);
                // Eof matches with the rest of the output: did that hold the pattern?
                Regex(pattern)
                    .check(text.as_bytes(), true)
                    .is_ok_and(|found| !found.is_empty())
            }
            Err(_) => false,
        };
        assert!(
            matched,
            "the screen never showed /{pattern}/ ({}); it showed:\n{}",
            found
                .err()
                .map_or("the program ended".to_string(), |err| err.to_string()),
            self.screen
        );
        self
    }

    /// Types without pressing Enter.
    fn type_keys(&mut self, text: &str) -> &mut Self {
        self.session.send(text).expect("type");
        self
    }

    /// Types a line at a prompt that echoes.
    fn type_line(&mut self, text: &str) -> &mut Self {
        self.session.send_line(text).expect("type");
        self
    }

    /// Types a line at a hidden prompt: first waits until the program has
    /// turned the terminal's echo off, so that an echo would be its fault.
    fn type_secret(&mut self, text: &str) -> &mut Self {
        self.wait_until_hidden().type_line(text)
    }

    /// Waits until the terminal's echo is off: a hidden prompt is reading.
    fn wait_until_hidden(&mut self) -> &mut Self {
        let started = Instant::now();
        while self.session.get_process().get_echo().unwrap_or(true) {
            assert!(
                started.elapsed() < TIMEOUT,
                "the prompt never turned echo off; the screen showed:\n{}",
                self.screen
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        self
    }

    fn ctrl_c(&mut self) -> &mut Self {
        self.session.send(ControlCode::EndOfText).expect("send ^C");
        self
    }

    fn ctrl_d(&mut self) -> &mut Self {
        self.session
            .send(ControlCode::EndOfTransmission)
            .expect("send ^D");
        self
    }

    /// Reads the screen to the end and waits for the process.
    fn finish(&mut self) -> WaitStatus {
        match self.session.expect(Eof) {
            Ok(rest) => {
                self.screen
                    .push_str(&String::from_utf8_lossy(rest.before()));
                self.screen
                    .push_str(&String::from_utf8_lossy(rest.get(0).unwrap_or_default()));
            }
            Err(err) => {
                let _ = self.session.get_process_mut().exit(true);
                panic!(
                    "crmauth did not end ({err}); the screen showed:\n{}",
                    self.screen
                );
            }
        }
        self.session.get_process().wait().expect("wait for crmauth")
    }

    fn succeeds(&mut self) -> &mut Self {
        let status = self.finish();
        assert!(
            matches!(status, WaitStatus::Exited(_, 0)),
            "crmauth ended with {status:?}; the screen showed:\n{}",
            self.screen
        );
        self
    }

    fn exits_with(&mut self, code: i32) -> &mut Self {
        let status = self.finish();
        assert!(
            matches!(status, WaitStatus::Exited(_, c) if c == code),
            "crmauth ended with {status:?}, expected exit {code}; the screen showed:\n{}",
            self.screen
        );
        self
    }

    fn expect_screen(&mut self, text: &str) -> &mut Self {
        assert!(
            self.screen.contains(text),
            "the screen lacks {text:?}:\n{}",
            self.screen
        );
        self
    }

    /// Ctrl-C or EOF: killed by SIGINT (a shell says 130) or exit 130 or 2.
    fn is_interrupted(&mut self) -> &mut Self {
        let status = self.finish();
        assert!(
            matches!(
                status,
                WaitStatus::Signaled(_, Signal::SIGINT, _) | WaitStatus::Exited(_, 130 | 2)
            ),
            "crmauth ended with {status:?}; the screen showed:\n{}",
            self.screen
        );
        self
    }

    /// The program left the cursor visible: no "hide cursor" (`ESC[?25l`)
    /// without a later "show cursor" (`ESC[?25h`).
    fn cursor_is_visible(&self) -> &Self {
        let hidden = self.screen.rfind("\x1b[?25l");
        let shown = self.screen.rfind("\x1b[?25h");
        assert!(
            hidden <= shown,
            "crmauth left the cursor hidden; the screen showed:\n{:?}",
            self.screen
        );
        self
    }

    /// The terminal echoes again: the program put back the modes it changed.
    fn echo_is_on(&self) -> &Self {
        assert!(
            self.session.get_process().get_echo().unwrap_or(false),
            "crmauth left the terminal without echo; the screen showed:\n{}",
            self.screen
        );
        self
    }

    fn screen_lacks(&self, secret: &str) -> &Self {
        assert!(
            !self.screen.contains(secret),
            "the screen showed a secret ({secret}):\n{}",
            self.screen
        );
        self
    }
}

fn nothing_stored(env: &Env) {
    assert!(
        !env.path("credentials.json").exists() || !env.read("credentials.json").contains("default"),
        "a secret was stored: {}",
        env.read("credentials.json")
    );
    assert!(
        !env.read("profiles.json").contains("\"default\""),
        "a profile was stored: {}",
        env.read("profiles.json")
    );
    env.run(&["token"]).code(3);
}

#[test]
fn apikey_set_asks_for_the_url_with_its_default_and_for_the_key_without_echo() {
    let env = Env::new(Store::File);
    let key = "k3y-typed-at-a-hidden-prompt";
    env.secret(key);
    let mut pty = Pty::spawn(&env, &["apikey", "set", "--provider", "virtuous"]);
    pty.expect("URL")
        .expect(r"https://api\.virtuoussoftware\.com")
        .type_line("")
        .expect("API key")
        .type_secret(key)
        .expect("Stored the API key")
        .succeeds()
        .screen_lacks(key);
    env.run(&["token"])
        .reveals()
        .ok()
        .stdout_is(&format!("{key}\n"));
    let whoami = env.run(&["whoami", "--json"]).ok().json();
    assert_eq!(whoami["url"], "https://api.virtuoussoftware.com");
    assert_eq!(whoami["kind"], "api_key");
}

#[test]
fn apikey_set_takes_a_typed_url() {
    let env = Env::new(Store::File);
    let mut pty = Pty::spawn(
        &env,
        &["-p", "mine", "apikey", "set", "--provider", "virtuous"],
    );
    pty.expect("URL")
        .type_line("https://crm.example.com")
        // A plain prompt echoes (one regex may match only one place: expectrl
        // consumes up to its last match in what it has read).
        .expect(r"› https://crm\.example\.com")
        // ... then the answered prompt becomes a summary line, as dialoguer's do.
        .expect(r"✔ URL · https://crm\.example\.com")
        .expect("API key")
        .type_secret("typed-key")
        .succeeds();
    let whoami = env.run(&["-p", "mine", "whoami", "--json"]).ok().json();
    assert_eq!(whoami["url"], "https://crm.example.com");
}

#[test]
fn ctrl_c_at_the_url_prompt_stops_and_stores_nothing() {
    let env = Env::new(Store::File);
    Pty::spawn(&env, &["apikey", "set", "--provider", "virtuous"])
        .expect("URL")
        .ctrl_c()
        .is_interrupted();
    nothing_stored(&env);
}

#[test]
fn ctrl_c_at_the_hidden_key_prompt_stops_and_stores_nothing() {
    let env = Env::new(Store::File);
    Pty::spawn(
        &env,
        &[
            "apikey",
            "set",
            "--provider",
            "virtuous",
            "--url",
            "https://crm.example.com",
        ],
    )
    .expect("API key")
    .wait_until_hidden()
    .type_keys("half-typed") // no Enter
    .ctrl_c()
    .is_interrupted()
    .echo_is_on()
    .cursor_is_visible();
    nothing_stored(&env);
}

#[test]
fn eof_at_the_url_prompt_is_exit_2_and_stores_nothing() {
    let env = Env::new(Store::File);
    Pty::spawn(&env, &["apikey", "set", "--provider", "virtuous"])
        .expect("URL")
        .ctrl_d()
        .exits_with(2)
        .expect_screen("URL: no input");
    nothing_stored(&env);
}

#[test]
fn a_typed_control_character_is_refused_and_asked_again() {
    let env = Env::new(Store::File);
    let server = support::FakeVirto::start();
    server.add_user("admin", "pw-typed");
    env.secret("pw-typed");
    Pty::spawn(
        &env,
        &["login", "--provider", "virto", "--url", &server.url()],
    )
    .expect("(?i)user name")
    .type_line("\x1badmin")
    .expect("control characters are not allowed")
    .expect("(?i)user name")
    .type_line("admin")
    .expect("(?i)password")
    .type_secret("pw-typed")
    .succeeds();
    let grant = server.requests_to("/connect/token").pop().expect("a grant");
    assert_eq!(grant.form_value("username"), Some("admin"));
}

#[test]
fn esc_at_the_provider_select_is_exit_2_and_stores_nothing() {
    let env = Env::new(Store::File);
    Pty::spawn(&env, &["login"])
        .expect(r"vertical\s+Vertical CRM")
        .type_keys("\x1b")
        .exits_with(2)
        .cursor_is_visible();
    nothing_stored(&env);
}

#[test]
fn eof_at_the_hidden_key_prompt_stores_nothing() {
    let env = Env::new(Store::File);
    Pty::spawn(
        &env,
        &[
            "apikey",
            "set",
            "--provider",
            "virtuous",
            "--url",
            "https://crm.example.com",
        ],
    )
    .expect("API key")
    .wait_until_hidden()
    .ctrl_d()
    .is_interrupted();
    nothing_stored(&env);
}

#[test]
fn prompts_are_coloured_unless_no_color_is_set() {
    for colour in [true, false] {
        let env = Env::new(Store::File);
        let mut pty =
            Pty::spawn_with_colour(&env, &["apikey", "set", "--provider", "virtuous"], colour);
        pty.expect("URL").ctrl_c().is_interrupted();
        let coloured = Regex(r"\x1b\[[0-9;]*m")
            .check(pty.screen.as_bytes(), true)
            .is_ok_and(|found| !found.is_empty());
        assert_eq!(
            coloured,
            colour,
            "NO_COLOR {}: {:?}",
            if colour { "unset" } else { "set" },
            pty.screen
        );
    }
}

#[test]
fn login_without_a_provider_offers_the_three_with_descriptions() {
    let env = Env::new(Store::File);
    Pty::spawn(&env, &["login"])
        .expect("Provider")
        .expect(r"virtuous\s+Virtuous CRM")
        .expect(r"virto\s+Virto Commerce")
        .expect(r"vertical\s+Vertical CRM")
        .ctrl_c()
        .is_interrupted()
        .cursor_is_visible();
    nothing_stored(&env);
}

#[test]
fn apikey_set_without_a_provider_offers_those_that_take_keys() {
    let env = Env::new(Store::File);
    let mut pty = Pty::spawn(&env, &["apikey", "set"]);
    pty.expect("Provider")
        .expect(r"virtuous\s+Virtuous CRM")
        .expect(r"virto\s+Virto Commerce");
    assert!(
        !pty.screen.contains("vertical"),
        "Vertical takes no API keys: {:?}",
        pty.screen
    );
    pty.ctrl_c().is_interrupted().cursor_is_visible();
    nothing_stored(&env);
}

#[test]
fn interactive_virtuous_login_with_two_factor_code() {
    let env = Env::new(Store::File);
    let fake = FakeVirtuous::start();
    let (user, password, otp) = ("ann@example.org", "p@ss w0rd&=+%20é", "246810");
    fake.add_2fa_user(user, password, otp);
    env.secret(password).secret(otp);
    let mut pty = Pty::spawn(&env, &["login"]);
    pty.expect(r"virtuous\s+Virtuous CRM")
        .type_line("") // the first item, virtuous
        .expect("URL")
        .expect(r"https://api\.virtuoussoftware\.com")
        .type_line(&fake.url())
        .expect("(?i)user")
        .type_line(user)
        .expect("(?i)password")
        .type_secret(password)
        .expect("(?i)(code|otp|two-factor|2fa)")
        .type_secret(otp)
        .succeeds()
        .screen_lacks(password)
        .screen_lacks(otp);
    let token = fake.last_access_token().expect("a token was issued");
    env.secret(&token);
    env.run(&["token"])
        .reveals()
        .ok()
        .stdout_is(&format!("{token}\n"));
    let whoami = env.run(&["whoami", "--json"]).ok().json();
    assert_eq!(whoami["provider"], "virtuous");
    assert_eq!(whoami["user"], user);
    assert_eq!(whoami["kind"], "oauth_password");
    assert_eq!(whoami["has_refresh_token"], true);
    let grants = fake.requests_to("/Token");
    assert_eq!(grants.len(), 2, "a 202, then the request with the code");
    assert_eq!(grants[1].header("OTP"), Some(otp));
}

#[test]
fn interactive_virto_client_credentials_login_asks_for_the_secret_hidden() {
    let env = Env::new(Store::File);
    let fake = FakeVirto::start();
    let secret = "cl1ent-s3cret-typed";
    fake.add_client("reporting", secret);
    env.secret(secret);
    let url = fake.url();
    let mut pty = Pty::spawn(
        &env,
        &[
            "-p",
            "shop",
            "login",
            "--provider",
            "virto",
            "--url",
            &url,
            "--client-id",
            "reporting",
        ],
    );
    pty.expect("(?i)secret")
        .type_secret(secret)
        .succeeds()
        .screen_lacks(secret);
    let token = fake.last_access_token().expect("a token was issued");
    env.secret(&token);
    env.run(&["-p", "shop", "token"])
        .reveals()
        .ok()
        .stdout_is(&format!("{token}\n"));
    let whoami = env.run(&["-p", "shop", "whoami", "--json"]).ok().json();
    assert_eq!(whoami["kind"], "oauth_client_credentials");
    assert_eq!(fake.grant_count("client_credentials"), 1);
}
