//! `token --format env` is safe to `eval` whatever the token holds, and the
//! other formats print exactly what DESIGN.md says.

mod support;

use support::crmauth::{Env, Store};

#[test]
#[cfg(unix)] // the format is for POSIX shells: sh evaluates it
fn env_output_survives_eval_for_any_token_characters() {
    let env = Env::new(Store::File);
    let nasty = r#"k'ey "with" $(touch pwned) `x` \ $HOME;|&"#;
    env.secret(nasty);
    env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
        .stdin(nasty)
        .ok();
    let printed = env.run(&["token", "--format", "env"]).reveals().ok().stdout;
    let script =
        format!("{printed}\nprintf '%s\\n%s' \"$CRMAUTH_TOKEN\" \"$CRMAUTH_AUTHORIZATION\"");
    let output = std::process::Command::new("sh")
        .current_dir(env.config_dir())
        .args(["-c", &script])
        .output()
        .expect("sh");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("{nasty}\nBearer {nasty}")
    );
    assert!(
        !env.path("pwned").exists(),
        "eval ran a command from the token"
    );
}

#[test]
fn raw_output_is_the_token_and_one_newline() {
    let env = Env::new(Store::File);
    env.secret("raw-token-value");
    env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
        .stdin("raw-token-value")
        .ok();
    let out = env.run(&["token", "--format", "raw"]).reveals().ok();
    assert_eq!(out.stdout.as_bytes(), b"raw-token-value\n");
    assert_eq!(out.stderr, "");
}
