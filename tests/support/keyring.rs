//! A private Secret Service for one test: a nested `scripts/with-keyring`
//! (gnome-keyring or KeePassXC) whose bus only this test's commands use.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};

use super::crmauth::{Env, Run};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Impl {
    GnomeKeyring,
    KeePassXc {
        /// KeePassXC's "unlock before search": on, a search in a locked
        /// database waits for its unlock dialog; off, it hides the items.
        unlock_before_search: bool,
        /// KeePassXC's "confirm access": a dialog before each client may
        /// read an item.
        confirm_access: bool,
    },
}

pub struct PrivateKeyring {
    /// What a command needs to reach this Secret Service (and, for
    /// KeePassXC, for `keepassxc --lock` to reach this instance).
    vars: Vec<(String, String)>,
    pub daemon_pid: Option<u32>,
    child: Child,
    stdin: Option<ChildStdin>,
}

const VARS: [&str; 7] = [
    "DBUS_SESSION_BUS_ADDRESS",
    "XDG_RUNTIME_DIR",
    "XDG_CONFIG_HOME",
    "TMPDIR",
    "QT_QPA_PLATFORM",
    "CRMAUTH_TEST_KEEPASSXC_DB",
    "CRMAUTH_TEST_KEEPASSXC_PASSWORD",
];

impl PrivateKeyring {
    pub fn start(implementation: Impl) -> Self {
        // Prints the variables, then the daemon's pid; waits for a line on
        // stdin (or its end) before the script tears everything down.
        let script = format!(
            r#"
            for v in {vars}; do printf '%s=%s\n' "$v" "${{!v-}}"; done
            pid=$(dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus \
                /org/freedesktop/DBus org.freedesktop.DBus.GetConnectionUnixProcessID \
                string:org.freedesktop.secrets | awk '{{print $2}}')
            echo "pid=$pid"
            read -r _ || true
            kill -CONT "$pid" 2>/dev/null || true
            "#,
            vars = VARS.join(" ")
        );
        let mut command =
            Command::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/with-keyring"));
        command
            .args(["bash", "-c", &script])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        match implementation {
            Impl::GnomeKeyring => command.env("CRMAUTH_TEST_KEYRING_IMPL", "gnome-keyring"),
            Impl::KeePassXc {
                unlock_before_search,
                confirm_access,
            } => command
                .env("CRMAUTH_TEST_KEYRING_IMPL", "keepassxc")
                .env(
                    "CRMAUTH_TEST_KEEPASSXC_UNLOCK_BEFORE_SEARCH",
                    unlock_before_search.to_string(),
                )
                .env(
                    "CRMAUTH_TEST_KEEPASSXC_CONFIRM_ACCESS",
                    confirm_access.to_string(),
                ),
        };
        let mut child = command.spawn().expect("scripts/with-keyring");
        let stdin = child.stdin.take();
        let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
        let mut vars = Vec::new();
        let mut daemon_pid = None;
        for _ in 0..=VARS.len() {
            let mut line = String::new();
            reader
                .read_line(&mut line)
                .expect("read with-keyring's output");
            let Some((key, value)) = line.trim_end().split_once('=') else {
                panic!("scripts/with-keyring did not start (see its stderr)");
            };
            if key == "pid" {
                daemon_pid = value.parse().ok();
            } else if !value.is_empty() {
                vars.push((key.to_string(), value.to_string()));
            }
        }
        Self {
            vars,
            daemon_pid,
            child,
            stdin,
        }
    }

    pub fn var(&self, key: &str) -> &str {
        self.vars
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("{key} not set by scripts/with-keyring"))
    }

    /// `crmauth --store keyring ARGS` against this Secret Service.
    pub fn run(&self, env: &Env, args: &[&str]) -> Run {
        let mut all = vec!["--store", "keyring"];
        all.extend_from_slice(args);
        env.run(&all)
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                self.var("DBUS_SESSION_BUS_ADDRESS"),
            )
            .env("XDG_RUNTIME_DIR", self.var("XDG_RUNTIME_DIR"))
            .env("CRMAUTH_TEST_KEYRING", "1")
    }

    /// A helper program (secret-tool, keepassxc, keepassxc-cli) in this
    /// Secret Service's environment; its stdout.
    pub fn tool(&self, program: &str, args: &[&str], stdin: &str) -> String {
        let (success, stdout, stderr) = self.try_tool(program, args, stdin);
        assert!(success, "{program} {args:?} failed: {stderr}");
        stdout
    }

    /// Like [`Self::tool`], for a program that may fail: whether it
    /// succeeded, its stdout and its stderr.
    pub fn try_tool(&self, program: &str, args: &[&str], stdin: &str) -> (bool, String, String) {
        let mut child = Command::new(program)
            .args(args)
            .envs(self.vars.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|err| panic!("{program}: {err}"));
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(stdin.as_bytes())
            .expect("write stdin");
        let output = child.wait_with_output().expect("wait");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    pub fn signal(&self, signal: &str) {
        let pid = self.daemon_pid.expect("the daemon's pid");
        let status = Command::new("kill")
            .args([signal, &pid.to_string()])
            .status()
            .expect("kill");
        assert!(status.success(), "kill {signal} {pid}");
    }
}

impl Drop for PrivateKeyring {
    fn drop(&mut self) {
        if let Some(mut stdin) = self.stdin.take() {
            let _ = stdin.write_all(b"\n");
        }
        let _ = self.child.wait();
    }
}
