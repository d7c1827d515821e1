//! Hostile secret stores: a bus without a Secret Service, a locked
//! collection, a frozen daemon. Each fails within the 5 s deadline with exit 6
//! and suggests `--store file`. (No session bus at all: tests/foundation.rs.)
//! The locked and frozen rows run a nested private Secret Service
//! (scripts/with-keyring) so the shared one of scripts/test stays healthy.
#![cfg(target_os = "linux")] // D-Bus and the Secret Service are Linux's

mod support;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use support::crmauth::{Env, Run, Store};

const KEY: &str = "hostile-keyring-key-1";

/// A private session bus (and its runtime dir) for one test.
struct Bus {
    address: String,
    runtime: String,
    daemon_pid: Option<u32>,
    child: Child,
    stdin: Option<ChildStdin>,
}

impl Bus {
    fn read_lines(child: &mut Child, count: usize) -> Vec<String> {
        let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
        (0..count)
            .map(|_| {
                let mut line = String::new();
                reader.read_line(&mut line).expect("read");
                line.trim().to_string()
            })
            .collect()
    }

    /// A dbus-daemon that activates nothing: no Secret Service on it.
    fn empty(dir: &Path) -> Self {
        let config = dir.join("bus.conf");
        std::fs::write(
            &config,
            format!(
                "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" \
                 \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n\
                 <busconfig><type>session</type><listen>unix:dir={}</listen>\
                 <policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>\
                 <allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>",
                dir.display()
            ),
        )
        .expect("write bus config");
        let mut child = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-daemon");
        let lines = Self::read_lines(&mut child, 1);
        Self {
            address: lines[0].clone(),
            runtime: dir.display().to_string(),
            daemon_pid: None,
            child,
            stdin: None,
        }
    }

    /// A nested scripts/with-keyring: a fresh bus with an unlocked keyring.
    fn keyring() -> Self {
        let script = r#"
            pid=$(dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus \
                /org/freedesktop/DBus org.freedesktop.DBus.GetConnectionUnixProcessID \
                string:org.freedesktop.secrets | awk '{print $2}')
            echo "$DBUS_SESSION_BUS_ADDRESS"; echo "$XDG_RUNTIME_DIR"; echo "$pid"
            read -r _ || true
            kill -CONT "$pid" 2>/dev/null || true
        "#;
        let mut child = Command::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/with-keyring"))
            .args(["bash", "-c", script])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("scripts/with-keyring");
        let stdin = child.stdin.take();
        let lines = Self::read_lines(&mut child, 3);
        Self {
            address: lines[0].clone(),
            runtime: lines[1].clone(),
            daemon_pid: lines[2].parse().ok(),
            child,
            stdin,
        }
    }

    fn run(&self, env: &Env, args: &[&str]) -> Run {
        let mut all = vec!["--store", "keyring"];
        all.extend_from_slice(args);
        env.run(&all)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .env("XDG_RUNTIME_DIR", &self.runtime)
    }

    fn signal(&self, signal: &str) {
        let pid = self.daemon_pid.expect("the daemon's pid");
        let status = Command::new("kill")
            .args([signal, &pid.to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        if self.daemon_pid.is_some() {
            self.signal("-CONT");
        }
        if let Some(mut stdin) = self.stdin.take() {
            let _ = stdin.write_all(b"\n");
        } else {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// Runs `token` and `apikey set` on `bus`: exit 6 within 5 s, suggesting the file store.
fn fails_fast(bus: &Bus, env: &Env) {
    for (args, stdin) in [
        (&["token"][..], ""),
        (
            &["apikey", "set", "--provider", "virtuous", "--key-stdin"][..],
            "hostile-keyring-key-2",
        ),
    ] {
        let started = Instant::now();
        bus.run(env, args)
            .stdin(stdin)
            .secret("hostile-keyring-key-2")
            .code(6)
            .stderr_has("--store file")
            .stderr_lines_at_most(2);
        let took = started.elapsed();
        assert!(took < Duration::from_secs(6), "{args:?} took {took:?}");
    }
}

fn with_key(bus: &Bus) -> Env {
    let env = Env::new(Store::File);
    env.secret(KEY);
    bus.run(
        &env,
        &["apikey", "set", "--provider", "virtuous", "--key-stdin"],
    )
    .stdin(KEY)
    .ok();
    bus.run(&env, &["token"])
        .reveals()
        .ok()
        .stdout_is(&format!("{KEY}\n"));
    env
}

#[test]
fn a_bus_without_a_secret_service_is_exit_6_fast() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bus = Bus::empty(dir.path());
    // The profile and its secret are in the test session's keyring; the
    // commands then run on a bus where no Secret Service answers.
    let env = Env::new(Store::Keyring);
    env.secret(KEY);
    env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
        .stdin(KEY)
        .ok();
    fails_fast(&bus, &env);
}

#[test]
fn a_locked_collection_is_exit_6_fast() {
    let bus = Bus::keyring();
    let env = with_key(&bus);
    let status = Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.secrets",
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.Lock",
            "array:objpath:/org/freedesktop/secrets/collection/login",
        ])
        .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
        .stdout(Stdio::null())
        .status()
        .expect("dbus-send");
    assert!(status.success(), "could not lock the collection");
    fails_fast(&bus, &env);
    bus.run(&env, &["token"])
        .code(6)
        .stderr_has("the keyring is locked");
}

#[test]
fn a_frozen_daemon_is_exit_6_fast() {
    let bus = Bus::keyring();
    let env = with_key(&bus);
    bus.signal("-STOP");
    fails_fast(&bus, &env);
}
