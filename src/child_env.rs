//! The environment crmauth hands to the programs it runs (`curl`, `exec`):
//! the user's own, minus the secrets that were meant for crmauth alone.

use std::process::Command;

/// Variables that carry a secret or a code *into* crmauth. A child never
/// needs them, and a child that logs its environment would leak them.
/// `VAULT_TOKEN`/`BAO_TOKEN` are not here: they are the user's own, and a
/// child may well need them.
pub const SECRET_INPUT_VARS: &[&str] = &[
    "CRMAUTH_PASSWORD",
    "CRMAUTH_CLIENT_SECRET",
    "CRMAUTH_API_KEY",
    "CRMAUTH_OTP",
];

/// Removes every secret input variable from `command`'s environment.
pub fn scrub(command: &mut Command) {
    for name in SECRET_INPUT_VARS {
        command.env_remove(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubbed_commands_lose_every_secret_input() {
        let mut command = Command::new("true");
        scrub(&mut command);
        let removed: Vec<_> = command
            .get_envs()
            .filter(|(_, value)| value.is_none())
            .map(|(name, _)| name.to_string_lossy().into_owned())
            .collect();
        for name in SECRET_INPUT_VARS {
            assert!(removed.iter().any(|r| r == name), "{name} stays");
        }
    }
}
