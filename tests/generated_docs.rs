//! completions/ and man/ are generated from the clap definition and committed;
//! this fails when they no longer match what the current CLI generates.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use assert_cmd::Command;

const REGENERATE: &str = "cargo run -- generate-docs .";

fn files_in(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn committed_completions_and_man_pages_match_the_cli() {
    let fresh = tempfile::tempdir().expect("temp dir");
    Command::cargo_bin("crmauth")
        .expect("crmauth binary")
        .args(["generate-docs".as_ref(), fresh.path().as_os_str()])
        .assert()
        .success();
    let committed = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    for dir in ["completions", "man"] {
        let want = files_in(&fresh.path().join(dir));
        let have = files_in(&committed.join(dir));
        assert!(!want.is_empty(), "generate-docs wrote nothing into {dir}/");
        for name in want.union(&have) {
            let path = format!("{dir}/{name}");
            let generated = fs::read(fresh.path().join(&path)).ok();
            let on_disk = fs::read(committed.join(&path)).ok();
            if generated != on_disk {
                stale.push(match (generated, on_disk) {
                    (Some(_), None) => format!("{path} (missing)"),
                    (None, Some(_)) => format!("{path} (no longer generated: delete it)"),
                    _ => format!("{path} (differs)"),
                });
            }
        }
    }
    assert!(
        stale.is_empty(),
        "the committed docs are out of date with the CLI:\n  {}\nregenerate them with: {REGENERATE}",
        stale.join("\n  ")
    );
}

#[test]
fn completions_command_prints_the_committed_scripts() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    for (shell, file) in [
        ("bash", "crmauth.bash"),
        ("zsh", "crmauth.zsh"),
        ("fish", "crmauth.fish"),
    ] {
        let printed = Command::cargo_bin("crmauth")
            .expect("crmauth binary")
            .args(["completions", shell])
            .output()
            .expect("run crmauth");
        assert!(printed.status.success());
        let on_disk = fs::read(committed.join(file)).unwrap_or_default();
        assert!(
            printed.stdout == on_disk,
            "'crmauth completions {shell}' differs from completions/{file}: run {REGENERATE}"
        );
    }
}

#[test]
fn every_subcommand_help_has_examples() {
    let subcommands: &[&[&str]] = &[
        &["login"],
        &["refresh"],
        &["apikey", "set"],
        &["authtoken", "generate"],
        &["authtoken", "delete"],
        &["token"],
        &["whoami"],
        &["curl"],
        &["exec"],
        &["doctor"],
        &["logout"],
        &["profiles"],
        &["profiles", "use"],
        &["completions"],
    ];
    for args in subcommands {
        for help in ["-h", "--help"] {
            // Everything after `curl` is curl's own, `--help` included.
            let line: Vec<&str> = if args == &["curl"] {
                vec!["help", "curl"]
            } else {
                args.iter().copied().chain([help]).collect()
            };
            let output = Command::cargo_bin("crmauth")
                .expect("crmauth binary")
                .args(&line)
                .output()
                .expect("run crmauth");
            let text = String::from_utf8_lossy(&output.stdout);
            assert!(output.status.success(), "crmauth {args:?} {help} failed");
            assert!(
                text.contains("\nExamples:\n  "),
                "crmauth {} {help} has no Examples section:\n{text}",
                args.join(" ")
            );
        }
    }
}

#[test]
fn the_man_page_renders_exit_codes_and_environment() {
    let page = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("man/crmauth.1"))
        .unwrap_or_default();
    for needle in [
        ".SH \"EXIT STATUS\"",
        ".SH ENVIRONMENT",
        ".SH FILES",
        "CRMAUTH_CLIENT_SECRET",
        "HTTPS_PROXY",
        "credentials.json",
    ] {
        assert!(page.contains(needle), "man/crmauth.1 lacks {needle}");
    }
}

#[test]
fn version_is_printed() {
    let output = Command::cargo_bin("crmauth")
        .expect("crmauth binary")
        .arg("--version")
        .output()
        .expect("run crmauth");
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("crmauth "));
}

/// `(code, meaning)` pairs of the "Exit codes:" section of `crmauth --help`,
/// continuation lines joined.
fn exit_codes_in_help() -> Vec<(String, String)> {
    let output = Command::cargo_bin("crmauth")
        .expect("crmauth binary")
        .arg("--help")
        .output()
        .expect("run crmauth");
    let help = String::from_utf8_lossy(&output.stdout).into_owned();
    let section = help.split("Exit codes:\n").nth(1).unwrap_or_default();
    let mut table: Vec<(String, String)> = Vec::new();
    for line in section.lines().take_while(|line| !line.trim().is_empty()) {
        match line.trim().split_once("  ") {
            Some((code, meaning)) if code.chars().all(|c| c.is_ascii_digit()) => {
                table.push((code.to_string(), meaning.trim().to_string()));
            }
            _ => {
                if let Some((_, meaning)) = table.last_mut() {
                    meaning.push(' ');
                    meaning.push_str(line.trim());
                }
            }
        }
    }
    table
}

#[test]
fn the_readme_exit_code_table_is_the_one_in_help_and_man() {
    let readme = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .unwrap_or_default();
    let section = readme.split("## Exit codes\n").nth(1).unwrap_or_default();
    let in_readme: Vec<(String, String)> = section
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .filter_map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            let (code, meaning) = (cells.first()?, cells.get(1)?);
            code.chars()
                .all(|c| c.is_ascii_digit())
                .then(|| (code.to_string(), meaning.replace('`', "")))
        })
        .collect();
    let in_help = exit_codes_in_help();
    assert_eq!(
        in_help.len(),
        7,
        "--help lists the 7 exit codes: {in_help:?}"
    );
    assert_eq!(
        in_readme, in_help,
        "README.md's exit-code table differs from src/cli.rs exit_codes!()"
    );
    let page = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("man/crmauth.1"))
        .unwrap_or_default();
    for (_, meaning) in &in_help {
        let first_words: String = meaning
            .split_whitespace()
            .take(4)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            page.contains(&first_words),
            "man page lacks {first_words:?}"
        );
    }
}
