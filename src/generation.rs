//! The generated documentation: every shell's completion script (clap_complete)
//! and roff man pages (clap_mangen), all from `Cli::command()`. The results are
//! committed in completions/ and man/; `cargo run -- generate-docs .` rewrites
//! them and tests/generated_docs.rs fails when they drift.
//!
//! `generate-docs` is a maintainer command, deliberately outside the clap
//! definition: clap_complete would otherwise offer it (hidden or not) in every
//! completion script.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, italic, roman};

use crate::cli::{Cli, ENVIRONMENT, FILES};

const BIN: &str = "crmauth";

/// `crmauth generate-docs DIR`: writes DIR/completions/ and DIR/man/, then
/// exits. `None` for every other command line.
pub fn maintainer_command() -> Option<ExitCode> {
    let mut args = std::env::args_os().skip(1);
    if args.next()? != "generate-docs" {
        return None;
    }
    let (Some(dir), None) = (args.next(), args.next()) else {
        eprintln!("usage: crmauth generate-docs DIR");
        return Some(ExitCode::from(2));
    };
    Some(match write_all(&PathBuf::from(dir)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: cannot write the generated docs: {err}");
            ExitCode::FAILURE
        }
    })
}

/// Each shell with the file name its script is committed under.
pub const SHELLS: [(Shell, &str); 5] = [
    (Shell::Bash, "crmauth.bash"),
    (Shell::Zsh, "crmauth.zsh"),
    (Shell::Fish, "crmauth.fish"),
    (Shell::PowerShell, "crmauth.ps1"),
    (Shell::Elvish, "crmauth.elv"),
];

/// The completion script for `shell`: it asks crmauth for candidates.
pub fn completion(shell: Shell) -> Vec<u8> {
    crate::completion::registration(shell)
}

/// Writes `DIR/completions/*` and `DIR/man/*.1`.
pub fn write_all(dir: &Path) -> io::Result<()> {
    let completions = dir.join("completions");
    fs::create_dir_all(&completions)?;
    for (shell, file) in SHELLS {
        fs::write(completions.join(file), completion(shell))?;
    }
    let man = dir.join("man");
    fs::create_dir_all(&man)?;
    for (file, page) in man_pages()? {
        fs::write(man.join(file), page)?;
    }
    Ok(())
}

/// `crmauth.1`, then one page per visible subcommand (`crmauth-login.1`, ...).
pub fn man_pages() -> io::Result<Vec<(String, Vec<u8>)>> {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    let mut pages = vec![("crmauth.1".to_string(), main_page(&command)?)];
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        sub_pages(sub, &mut pages)?;
    }
    Ok(pages)
}

fn sub_pages(command: &clap::Command, pages: &mut Vec<(String, Vec<u8>)>) -> io::Result<()> {
    let man = page(command);
    let mut out = Vec::new();
    standard_sections(&man, command, &mut out)?;
    let mut roff = Roff::new();
    examples(&mut roff, command);
    roff.control("SH", ["SEE ALSO"]);
    roff.text([bold(BIN), roman("(1)")]);
    roff.to_writer(&mut out)?;
    pages.push((man.get_filename(), out));
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        sub_pages(sub, pages)?;
    }
    Ok(())
}

/// A page whose footer names crmauth and its version, whatever the subcommand.
fn page(command: &clap::Command) -> Man {
    Man::new(command.clone())
        .source(format!("{BIN} {}", env!("CARGO_PKG_VERSION")))
        .manual("crmauth manual")
}

fn main_page(command: &clap::Command) -> io::Result<Vec<u8>> {
    let man = page(command);
    let mut out = Vec::new();
    standard_sections(&man, command, &mut out)?;
    let mut roff = Roff::new();
    examples(&mut roff, command);

    roff.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in crate::cli::exit_code_table() {
        roff.control("TP", ["4"]);
        roff.text([bold(code)]);
        roff.text([roman(meaning)]);
    }

    roff.control("SH", ["ENVIRONMENT"]);
    for (name, meaning) in ENVIRONMENT {
        roff.control("TP", []);
        roff.text([bold(*name)]);
        roff.text([roman(*meaning)]);
    }

    roff.control("SH", ["FILES"]);
    for (path, meaning) in FILES {
        roff.control("TP", []);
        roff.text([italic(*path)]);
        roff.text([roman(*meaning)]);
    }

    roff.control("SH", ["SEE ALSO"]);
    let mut see_also = Vec::new();
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        if !see_also.is_empty() {
            see_also.push(roman(", "));
        }
        see_also.push(bold(format!("{BIN}-{}", sub.get_name())));
        see_also.push(roman("(1)"));
    }
    see_also.push(roman(", "));
    see_also.push(bold("curl"));
    see_also.push(roman("(1)"));
    roff.text(see_also);
    roff.to_writer(&mut out)?;
    Ok(out)
}

/// Title, name, synopsis, description, options and subcommands as clap_mangen
/// renders them (its "EXTRA" section is replaced by [`examples`]).
fn standard_sections(man: &Man, command: &clap::Command, out: &mut Vec<u8>) -> io::Result<()> {
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    if command.get_arguments().any(|arg| !arg.is_hide_set()) {
        man.render_options_section(out)?;
    }
    if command.get_subcommands().any(|sub| !sub.is_hide_set()) {
        man.render_subcommands_section(out)?;
    }
    Ok(())
}

/// The "Examples:" block of the command's help, as a preformatted section.
fn examples(roff: &mut Roff, command: &clap::Command) {
    let help = command
        .get_after_long_help()
        .or_else(|| command.get_after_help())
        .map(|text| text.to_string())
        .unwrap_or_default();
    let Some(start) = help.find("Examples:\n") else {
        return;
    };
    // Up to the next heading ("Environment:", ...): a line not indented.
    let lines: Vec<&str> = help[start + "Examples:\n".len()..]
        .lines()
        .take_while(|line| line.is_empty() || line.starts_with(' '))
        .collect();
    let lines = lines.join("\n");
    roff.control("SH", ["EXAMPLES"]);
    roff.control("RS", ["4"]);
    roff.control("nf", []);
    for line in lines.trim_end().lines() {
        roff.text([roman(line.strip_prefix("  ").unwrap_or(line))]);
    }
    roff.control("fi", []);
    roff.control("RE", []);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_visible_subcommand_has_examples() {
        let mut command = Cli::command();
        command.build();
        fn check(command: &clap::Command) {
            for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
                if sub.get_name() == "help" {
                    continue;
                }
                let help = sub.get_after_help().map(|text| text.to_string());
                assert!(
                    help.is_some_and(|text| text.starts_with("Examples:\n")),
                    "'{}' has no Examples: section in its help",
                    sub.get_name()
                );
                check(sub);
            }
        }
        check(&command);
    }

    #[test]
    fn the_man_page_documents_exit_codes_and_environment() {
        let pages = man_pages().expect("man pages");
        let main = String::from_utf8_lossy(&pages[0].1).to_string();
        for needle in [
            "EXIT STATUS",
            "ENVIRONMENT",
            "FILES",
            "CRMAUTH_CURL",
            "NO_PROXY",
        ] {
            assert!(main.contains(needle), "crmauth.1 lacks {needle}");
        }
        assert!(pages.iter().any(|(name, _)| name == "crmauth-login.1"));
    }
}
