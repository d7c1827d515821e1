//! Command-line mistakes in the house style: `error:` and one `help:` line.
//!
//! clap lays its errors out over four to six lines (error, possible values,
//! tip, usage, "for more information"), with blank lines between. This
//! builds the two lines from the error's kind and context instead (the
//! wording follows clap's own), so a change of clap's layout cannot garble
//! them.

use std::ffi::OsString;
use std::fmt::Write as _;

use clap::CommandFactory;
use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::cli::Cli;

/// A command-line error from clap in the house style: the error on one line,
/// then one `help:` line with clap's suggestions, if any, and where to read
/// more.
pub fn render(err: &clap::Error, argv: &[OsString]) -> String {
    let error = message(err);
    let mut tips = suggestions(err);
    tips.extend(value_from_env(&error, argv));
    let command = usage_command(err).unwrap_or_else(|| subcommand_path(argv));
    tips.push(format!("see '{command} --help'"));
    format!("error: {error}\nhelp: {}\n", tips.join("; "))
}

fn string(err: &clap::Error, kind: ContextKind) -> Option<String> {
    match err.get(kind)? {
        ContextValue::String(text) => Some(text.clone()),
        ContextValue::StyledStr(text) => Some(text.to_string()),
        _ => None,
    }
}

fn strings(err: &clap::Error, kind: ContextKind) -> Option<Vec<String>> {
    match err.get(kind)? {
        ContextValue::Strings(list) => Some(list.clone()),
        ContextValue::String(text) => Some(vec![text.clone()]),
        _ => None,
    }
}

fn number(err: &clap::Error, kind: ContextKind) -> Option<isize> {
    match err.get(kind)? {
        ContextValue::Number(n) => Some(*n),
        _ => None,
    }
}

fn provided(n: isize) -> &'static str {
    if n > 1 {
        "were provided"
    } else {
        "was provided"
    }
}

/// The error itself, on one line.
fn message(err: &clap::Error) -> String {
    let arg = string(err, ContextKind::InvalidArg);
    let value = string(err, ContextKind::InvalidValue);
    let built = match err.kind() {
        ErrorKind::InvalidValue => arg.zip(value).map(|(arg, value)| {
            let mut text = if value.is_empty() {
                format!("a value is required for '{arg}' but none was supplied")
            } else {
                format!("invalid value '{value}' for '{arg}'")
            };
            if let Some(valid) = strings(err, ContextKind::ValidValue).filter(|v| !v.is_empty()) {
                let _ = write!(text, " [possible values: {}]", valid.join(", "));
            }
            text
        }),
        ErrorKind::ValueValidation => arg.zip(value).map(|(arg, value)| {
            let mut text = format!("invalid value '{value}' for '{arg}'");
            if let Some(source) = std::error::Error::source(err) {
                let _ = write!(text, ": {source}");
            }
            text
        }),
        ErrorKind::UnknownArgument => arg.map(|arg| format!("unexpected argument '{arg}' found")),
        ErrorKind::InvalidSubcommand => string(err, ContextKind::InvalidSubcommand)
            .map(|sub| format!("unrecognized subcommand '{sub}'")),
        ErrorKind::MissingRequiredArgument => strings(err, ContextKind::InvalidArg).map(|args| {
            format!(
                "the following required arguments were not provided: {}",
                args.join(", ")
            )
        }),
        ErrorKind::MissingSubcommand => string(err, ContextKind::InvalidSubcommand).map(|sub| {
            let mut text = format!("'{sub}' requires a subcommand but one was not provided");
            if let Some(valid) = strings(err, ContextKind::ValidSubcommand) {
                let _ = write!(text, " [subcommands: {}]", valid.join(", "));
            }
            text
        }),
        ErrorKind::ArgumentConflict => arg.map(|arg| match strings(err, ContextKind::PriorArg) {
            Some(prior) if prior == [arg.clone()] => {
                format!("the argument '{arg}' cannot be used multiple times")
            }
            Some(prior) => format!(
                "the argument '{arg}' cannot be used with '{}'",
                prior.join("', '")
            ),
            None => format!(
                "the argument '{arg}' cannot be used with one or more of the other arguments"
            ),
        }),
        ErrorKind::NoEquals => {
            arg.map(|arg| format!("equal sign is needed when assigning values to '{arg}'"))
        }
        ErrorKind::TooManyValues => arg.zip(value).map(|(arg, value)| {
            format!("unexpected value '{value}' for '{arg}' found; no more were expected")
        }),
        ErrorKind::TooFewValues => {
            let actual = number(err, ContextKind::ActualNumValues);
            let min = number(err, ContextKind::MinValues);
            match (arg, actual, min) {
                (Some(arg), Some(actual), Some(min)) => Some(format!(
                    "{min} values required by '{arg}'; only {actual} {}",
                    provided(actual)
                )),
                _ => None,
            }
        }
        ErrorKind::WrongNumberOfValues => {
            let actual = number(err, ContextKind::ActualNumValues);
            let expected = number(err, ContextKind::ExpectedNumValues);
            match (arg, actual, expected) {
                (Some(arg), Some(actual), Some(expected)) => Some(format!(
                    "{expected} values required for '{arg}' but {actual} {}",
                    provided(actual)
                )),
                _ => None,
            }
        }
        _ => None,
    };
    built
        .or_else(|| std::error::Error::source(err).map(ToString::to_string))
        .or_else(|| err.kind().as_str().map(str::to_string))
        .unwrap_or_else(|| "invalid command line".to_string())
}

/// clap's "a similar argument exists" and other tips.
fn suggestions(err: &clap::Error) -> Vec<String> {
    let mut tips = Vec::new();
    for (kind, what) in [
        (ContextKind::SuggestedSubcommand, "subcommand"),
        (ContextKind::SuggestedArg, "argument"),
        (ContextKind::SuggestedValue, "value"),
    ] {
        if let Some(similar) = strings(err, kind).filter(|s| !s.is_empty()) {
            let quoted: Vec<String> = similar.iter().map(|s| format!("'{s}'")).collect();
            tips.push(if quoted.len() == 1 {
                format!("a similar {what} exists: {}", quoted[0])
            } else {
                format!("some similar {what}s exist: {}", quoted.join(", "))
            });
        }
    }
    if let Some(ContextValue::StyledStrs(more)) = err.get(ContextKind::Suggested) {
        tips.extend(more.iter().map(ToString::to_string));
    }
    tips
}

/// `crmauth token` from the usage clap attached: `Usage: crmauth token [OPTIONS]`.
fn usage_command(err: &clap::Error) -> Option<String> {
    let usage = string(err, ContextKind::Usage)?;
    let first = usage
        .lines()
        .find_map(|line| line.trim().strip_prefix("Usage: ").map(str::to_string))?;
    let command: Vec<&str> = first
        .split_whitespace()
        .take_while(|word| !word.starts_with(['[', '<', '-']))
        .collect();
    (!command.is_empty()).then(|| command.join(" "))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(line: &str) -> String {
        let argv: Vec<OsString> = line.split(' ').map(OsString::from).collect();
        match crate::cli::parse_from(argv.clone()) {
            Ok(_) => panic!("{line} parses"),
            Err(err) => render(&err, &argv),
        }
    }

    #[test]
    fn two_lines_built_from_the_error_context() {
        assert_eq!(
            rendered("crmauth -p x login --usrname ann"),
            "error: unexpected argument '--usrname' found\n\
             help: a similar argument exists: '--username'; see 'crmauth login --help'\n"
        );
        assert_eq!(
            rendered("crmauth token --format yaml"),
            "error: invalid value 'yaml' for '--format <FORMAT>' \
             [possible values: raw, header, json, env]\n\
             help: see 'crmauth token --help'\n"
        );
        assert_eq!(
            rendered("crmauth profiles use"),
            "error: the following required arguments were not provided: <NAME>\n\
             help: see 'crmauth profiles use --help'\n"
        );
    }
}
