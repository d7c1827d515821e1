//! The environment of programs crmauth starts (`curl`, later `exec`): the
//! secrets the caller handed to crmauth are crmauth's, not the child's, which
//! would otherwise show them in its `/proc/PID/environ` and pass them on to
//! everything it runs.

use std::process::Command;

/// Variables that carry a secret into crmauth (or into its secret stores).
pub const SECRET_INPUT_VARS: &[&str] = &[
    "CRMAUTH_PASSWORD",
    "CRMAUTH_CLIENT_SECRET",
    "CRMAUTH_API_KEY",
    "CRMAUTH_OTP",
    "VAULT_TOKEN",
    "BAO_TOKEN",
];

/// Removes every secret input variable from the child's environment.
pub fn scrub(command: &mut Command) {
    for name in SECRET_INPUT_VARS {
        command.env_remove(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_inputs_are_removed_and_the_rest_stays() {
        let mut command = Command::new("true");
        command.env("CRMAUTH_PASSWORD", "x").env("KEEP", "y");
        scrub(&mut command);
        let envs: Vec<_> = command.get_envs().collect();
        assert!(envs.contains(&("CRMAUTH_PASSWORD".as_ref(), None)));
        assert!(envs.contains(&("VAULT_TOKEN".as_ref(), None)));
        assert!(envs.contains(&("KEEP".as_ref(), Some("y".as_ref()))));
    }
}
