//! `crmauth -p <TAB>` and `profiles use <TAB>` offer the config dir's
//! profiles: the committed bash script, loaded in a real bash, asks the
//! built crmauth for candidates.
#![cfg(unix)]

mod support;

use std::path::Path;
use std::process::Command;

use support::crmauth::{Env, Store};

/// Loads completions/crmauth.bash, finds the function `complete -p` names,
/// and prints COMPREPLY for each line given (words separated by spaces; the
/// last one is being completed), `---` after each.
const DRIVER: &str = r#"
source "$COMPLETION_SCRIPT" || exit 3
spec=$(complete -p crmauth) || exit 4
fn=$(printf '%s\n' "$spec" | sed -n 's/.* -F \([^ ]*\) .*/\1/p')
[ -n "$fn" ] || exit 5
for line in "$@"; do
    read -r -a COMP_WORDS <<<"$line"
    case $line in *' ') COMP_WORDS+=(""); esac
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE=$line
    COMP_POINT=${#line}
    COMP_TYPE=9
    COMPREPLY=()
    "$fn" crmauth "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf '%s\n' "${COMPREPLY[@]}"
    echo ---
done
"#;

fn complete(env: &Env, lines: &[&str]) -> Vec<Vec<String>> {
    let binary = assert_cmd::cargo::cargo_bin("crmauth");
    let bin_dir = binary.parent().expect("binary dir");
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .expect("PATH");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/crmauth.bash");
    let output = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", DRIVER, "driver"])
        .args(lines)
        .env("PATH", path)
        .env("COMPLETION_SCRIPT", script)
        .env("CRMAUTH_CONFIG_DIR", env.config_dir())
        .env_remove("CRMAUTH_PROFILE")
        .output()
        .expect("run bash");
    assert!(
        output.status.success(),
        "bash driver failed ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .split("---\n")
        .map(|block| {
            block
                .lines()
                .filter(|line| !line.is_empty())
                .map(str::to_string)
                .collect()
        })
        .take(lines.len())
        .collect()
}

#[test]
fn bash_completes_profile_names_after_p_and_profiles_use() {
    let env = Env::new(Store::File);
    for (profile, key) in [
        ("prod", "k-prod-1"),
        ("shop", "k-shop-1"),
        ("staging", "k-st-1"),
    ] {
        env.secret(key);
        env.run(&[
            "-p",
            profile,
            "apikey",
            "set",
            "--provider",
            "virtuous",
            "--key-stdin",
        ])
        .stdin(key)
        .ok();
    }
    let got = complete(
        &env,
        &[
            "crmauth -p ",
            "crmauth --profile s",
            "crmauth profiles use st",
            "crmauth token -p p",
            "crmauth pro",
        ],
    );
    assert_eq!(got[0], ["prod", "shop", "staging"]);
    assert_eq!(got[1], ["shop", "staging"]);
    assert_eq!(got[2], ["staging"]);
    assert_eq!(got[3], ["prod"]);
    assert_eq!(got[4], ["profiles"]);
}

#[test]
fn no_profiles_means_no_names() {
    let env = Env::new(Store::File);
    let got = complete(&env, &["crmauth -p "]);
    assert!(got[0].is_empty(), "{got:?}");
}
