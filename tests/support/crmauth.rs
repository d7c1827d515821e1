//! Runs the built `crmauth` binary in a throwaway config dir, against either
//! secret store, and checks every run for leaked secrets.
//!
//! ```ignore
//! let env = Env::new(Store::File);
//! env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"]).stdin("k-1\n").secret("k-1").ok();
//! env.run(&["token"]).secret("k-1").reveals().ok().stdout_is("k-1\n");
//! ```

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Arc, Mutex};

use assert_cmd::Command;
use tempfile::TempDir;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    File,
    Keyring,
}

impl Store {
    pub fn name(self) -> &'static str {
        match self {
            Store::File => "file",
            Store::Keyring => "keyring",
        }
    }
}

/// Both stores. The keyring one needs the private Secret Service that
/// `scripts/test` starts; without it the test fails and says so.
pub fn stores() -> [Store; 2] {
    [Store::File, Store::Keyring]
}

pub fn require_keyring() {
    assert!(
        std::env::var_os("CRMAUTH_TEST_KEYRING").is_some(),
        "keyring tests need a real Secret Service: run them with scripts/test"
    );
}

/// A config dir and a store; every run shares them.
pub struct Env {
    dir: TempDir,
    pub store: Store,
    secrets: Arc<Mutex<Vec<String>>>,
}

impl Env {
    pub fn new(store: Store) -> Self {
        if store == Store::Keyring {
            require_keyring();
        }
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
            store,
            secrets: Arc::new(Mutex::new(Vec::new())),
        }
    }

    pub fn config_dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, file: &str) -> PathBuf {
        self.dir.path().join(file)
    }

    /// Registers a value that must never appear in stderr (nor stdout unless
    /// the run `reveals()` it) of any later run of this env.
    pub fn secret(&self, value: &str) -> &Self {
        self.secrets.lock().expect("lock").push(value.to_string());
        self
    }

    /// A command with the env's config dir and store, and a clean environment.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut command = Command::cargo_bin("crmauth").expect("crmauth binary");
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("CRMAUTH_") && key != "CRMAUTH_TEST_KEYRING" {
                command.env_remove(&key);
            }
        }
        command
            .env("CRMAUTH_CONFIG_DIR", self.dir.path())
            .env("CRMAUTH_STORE", self.store.name())
            .env("XDG_CONFIG_HOME", self.dir.path().join("xdg"))
            .env("NO_COLOR", "1")
            .args(args)
            .write_stdin("");
        Run {
            command,
            secrets: Arc::clone(&self.secrets),
            reveals: false,
        }
    }

    pub fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.path(file)).unwrap_or_default()
    }
}

pub struct Run {
    command: Command,
    secrets: Arc<Mutex<Vec<String>>>,
    reveals: bool,
}

impl Run {
    pub fn arg(mut self, arg: &str) -> Self {
        self.command.arg(arg);
        self
    }

    pub fn stdin(mut self, input: &str) -> Self {
        self.command.write_stdin(input.to_string());
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Self {
        self.command.env(key, value);
        self
    }

    pub fn env_remove(mut self, key: &str) -> Self {
        self.command.env_remove(key);
        self
    }

    /// Registers a secret (see [`Env::secret`]) for this run and later ones.
    pub fn secret(self, value: &str) -> Self {
        self.secrets.lock().expect("lock").push(value.to_string());
        self
    }

    /// This run prints a secret on stdout on purpose (`token`); stderr is still checked.
    pub fn reveals(mut self) -> Self {
        self.reveals = true;
        self
    }

    pub fn output(mut self) -> Outcome {
        let output = self.command.output().expect("run crmauth");
        let outcome = Outcome::from(output);
        for secret in self.secrets.lock().expect("lock").iter() {
            assert!(
                !outcome.stderr.contains(secret.as_str()),
                "a secret leaked to stderr:\n{}",
                outcome.stderr
            );
            if !self.reveals {
                assert!(
                    !outcome.stdout.contains(secret.as_str()),
                    "a secret leaked to stdout:\n{}",
                    outcome.stdout
                );
            }
        }
        assert!(
            !outcome.stderr.contains("panicked"),
            "crmauth panicked:\n{}",
            outcome.stderr
        );
        outcome
    }

    /// Runs and expects exit 0.
    pub fn ok(self) -> Outcome {
        self.code(0)
    }

    /// Runs and expects `code`.
    pub fn code(self, code: i32) -> Outcome {
        let outcome = self.output();
        assert_eq!(
            outcome.code, code,
            "expected exit {code}, got {}\nstdout:\n{}\nstderr:\n{}",
            outcome.code, outcome.stdout, outcome.stderr
        );
        outcome
    }
}

#[derive(Debug)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Outcome {
    fn from(output: Output) -> Self {
        Self {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Outcome {
    pub fn stdout_is(self, expected: &str) -> Self {
        assert_eq!(self.stdout, expected, "stderr:\n{}", self.stderr);
        self
    }

    pub fn stdout_has(self, part: &str) -> Self {
        assert!(
            self.stdout.contains(part),
            "stdout lacks {part:?}:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    pub fn stderr_has(self, part: &str) -> Self {
        assert!(
            self.stderr.contains(part),
            "stderr lacks {part:?}:\n{}",
            self.stderr
        );
        self
    }

    pub fn stderr_lacks(self, part: &str) -> Self {
        assert!(
            !self.stderr.contains(part),
            "stderr has {part:?}:\n{}",
            self.stderr
        );
        self
    }

    pub fn stderr_is_empty(self) -> Self {
        assert_eq!(self.stderr, "", "stderr should be empty");
        self
    }

    /// Errors are one or two lines (`error:` and `help:`).
    pub fn stderr_lines_at_most(self, lines: usize) -> Self {
        let count = self.stderr.lines().count();
        assert!(
            count <= lines,
            "stderr has {count} lines, expected at most {lines}:\n{}",
            self.stderr
        );
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|err| panic!("stdout is not JSON ({err}):\n{}", self.stdout))
    }
}

/// `value` is an RFC 3339 time within a minute of now + `from_now`.
pub fn assert_time_from_now(value: &serde_json::Value, from_now: jiff::SignedDuration) {
    let time: jiff::Timestamp = value
        .as_str()
        .unwrap_or_else(|| panic!("not a time: {value}"))
        .parse()
        .unwrap_or_else(|err| panic!("not RFC 3339 ({err}): {value}"));
    let expected = jiff::Timestamp::now() + from_now;
    assert!(
        time.duration_since(expected).abs() < jiff::SignedDuration::from_mins(1),
        "{time}, expected about {expected}"
    );
}
