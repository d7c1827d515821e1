//! Command-line mistakes in the house style: `error:` and one `help:` line.
//!
//! clap lays its errors out over four to six lines (error, possible values,
//! tip, usage, "for more information"), with blank lines between. This
//! reads clap's plain rendering and folds it into two lines. tests/foundation.rs
//! (`bad_input_is_a_usage_error`) fails if a clap upgrade changes the layout.

use std::ffi::OsString;

use clap::CommandFactory;

use crate::cli::Cli;

/// A command-line error from clap in the house style: the error on one line,
/// then one `help:` line with clap's tip, if any, and where to read more.
/// clap's own layout takes four to six lines with blank ones between.
pub fn render(rendered: &str, argv: &[OsString]) -> String {
    let mut error = String::new();
    let mut tips = Vec::new();
    let mut command = subcommand_path(argv);
    let mut in_usage = false;
    for line in rendered.lines().filter(|line| !line.trim().is_empty()) {
        let indented = line.starts_with(' ');
        if let Some(usage) = line.strip_prefix("Usage: ") {
            in_usage = true;
            command = usage
                .split_whitespace()
                .take_while(|word| !word.starts_with(['[', '<', '-']))
                .collect::<Vec<_>>()
                .join(" ");
        } else if in_usage && indented {
            // More forms of the usage line.
        } else if let Some(tip) = line.trim_start().strip_prefix("tip: ") {
            tips.push(tip.to_string());
        } else if line.starts_with("For more information") {
            in_usage = false;
        } else if error.is_empty() {
            error = line.to_string();
        } else {
            in_usage = false;
            error.push(' ');
            error.push_str(line.trim());
        }
    }
    tips.extend(value_from_env(&error, argv));
    tips.push(format!("see '{command} --help'"));
    format!("{error}\nhelp: {}\n", tips.join("; "))
}

/// "the value comes from CRMAUTH_TIMEOUT" when clap blames an option whose
/// value was not on the command line but in its environment variable.
fn value_from_env(error: &str, argv: &[OsString]) -> Option<String> {
    Cli::command().get_arguments().find_map(|option| {
        let long = format!("--{}", option.get_long()?);
        let variable = option.get_env()?;
        let blamed = error.contains(&format!("'{long} ")) || error.contains(&format!("'{long}'"));
        let short = option.get_short().map(|short| format!("-{short}"));
        let given = argv.iter().filter_map(|arg| arg.to_str()).any(|arg| {
            arg == long
                || arg.starts_with(&format!("{long}="))
                || short.as_deref().is_some_and(|short| arg.starts_with(short))
        });
        (blamed && !given && std::env::var_os(variable).is_some())
            .then(|| format!("the value comes from {}", variable.to_string_lossy()))
    })
}

/// `crmauth token` for `crmauth -p x token --format xml`: the subcommands
/// named on the command line, for "see '... --help'".
fn subcommand_path(argv: &[OsString]) -> String {
    let mut command = Cli::command();
    let mut path = vec!["crmauth".to_string()];
    let mut skip_value = false;
    for arg in argv.iter().skip(1).filter_map(|arg| arg.to_str()) {
        if std::mem::take(&mut skip_value) {
            continue;
        }
        if arg.starts_with('-') {
            let name = arg.trim_start_matches('-');
            skip_value = !arg.contains('=')
                && command.get_arguments().any(|option| {
                    option.get_action().takes_values()
                        && (option.get_long() == Some(name)
                            || (name.len() == 1 && option.get_short() == name.chars().next()))
                });
            continue;
        }
        let Some(sub) = command.find_subcommand(arg).cloned() else {
            break;
        };
        path.push(arg.to_string());
        command = sub;
    }
    path.join(" ")
}
