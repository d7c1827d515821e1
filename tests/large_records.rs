//! Credentials of any realistic size store, load and go out on every store: a
//! Virto login with tokens as long as the platform's (a JWT access token, a
//! JWE refresh token, a client secret), a 3,000-character API key, an 8 KiB
//! record. Windows Credential Manager holds 1,280 characters an entry, so
//! there a record is split across entries (src/store/chunks.rs); under
//! scripts/test-windows these run against Wine's Credential Manager.

mod support;

use support::FakeVirto;
use support::crmauth::{Env, stores};

const USER: &str = "admin";
const PASSWORD: &str = "large-records-pw-1";
const CLIENT: &str = "storefront";
/// As long as the client secrets the Virto platform generates.
const CLIENT_SECRET: &str =
    "cs-4f0e9b2a7c3d5e6f8091a2b3c4d5e6f7081920a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f607";

/// A key of `len` characters from the base64url alphabet.
fn long_key(len: usize) -> String {
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        .chars()
        .cycle()
        .take(len)
        .collect()
}

#[test]
fn a_virto_login_with_real_sized_tokens_is_stored_refreshed_and_used() {
    for store in stores() {
        let server = FakeVirto::start();
        server.set_realistic_sizes(true);
        server.add_user(USER, PASSWORD);
        server.add_client(CLIENT, CLIENT_SECRET);
        let env = Env::new(store);
        env.secret(PASSWORD).secret(CLIENT_SECRET);
        let url = server.url();
        env.run(&[
            "login",
            "--provider",
            "virto",
            "--url",
            &url,
            "--username",
            USER,
            "--password-stdin",
            "--client-id",
            CLIENT,
        ])
        .env("CRMAUTH_CLIENT_SECRET", CLIENT_SECRET)
        .stdin(PASSWORD)
        .ok();
        let guard = |env: &Env| {
            for token in server
                .issued_access_tokens()
                .into_iter()
                .chain(server.issued_refresh_tokens())
            {
                env.secret(&token);
            }
        };
        guard(&env);
        let (access, refresh) = (
            server.last_access_token().expect("an access token"),
            server.last_refresh_token().expect("a refresh token"),
        );
        // Well over one Credential Manager entry together, as in real life.
        assert!(access.len() > 2500 && refresh.len() > 2000, "{store:?}");
        assert_eq!(refresh.split('.').count(), 5, "a JWE");

        let token = env.run(&["token"]).reveals().ok().stdout;
        assert_eq!(token.trim(), access, "{store:?}");
        let whoami = env.run(&["whoami", "--json"]).ok().json();
        assert_eq!(whoami["jwt_claims"]["name"], USER);
        assert_eq!(whoami["has_refresh_token"], true);

        // The refresh sends the stored refresh token and client secret back.
        env.run(&["refresh"]).ok();
        guard(&env);
        let grant = server
            .requests_to(support::virto::TOKEN_PATH)
            .pop()
            .expect("a grant");
        assert_eq!(grant.form_value("refresh_token"), Some(refresh.as_str()));
        assert_eq!(grant.form_value("client_secret"), Some(CLIENT_SECRET));
        let renewed = server.last_access_token().expect("a new access token");
        assert_ne!(renewed, access);
        let token = env.run(&["token"]).reveals().ok().stdout;
        assert_eq!(token.trim(), renewed, "{store:?}");

        env.run(&["logout"]).ok();
        env.run(&["token"]).code(3);
    }
}

#[test]
fn a_3000_character_api_key_works_on_every_store() {
    for store in stores() {
        let env = Env::new(store);
        let key = long_key(3000);
        env.secret(&key);
        env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
            .stdin(&key)
            .ok();
        env.run(&["token"])
            .reveals()
            .ok()
            .stdout_is(&format!("{key}\n"));
        env.run(&["token", "--format", "header"])
            .reveals()
            .ok()
            .stdout_is(&format!("Authorization: Bearer {key}\n"));
    }
}

#[test]
fn an_8_kib_record_is_replaced_by_a_short_one_and_removed_whole() {
    for store in stores() {
        let env = Env::new(store);
        let (long, short) = (long_key(8 * 1024), "short-key-after-a-long-one".to_string());
        env.secret(&long).secret(&short);
        env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
            .stdin(&long)
            .ok();
        env.run(&["token"])
            .reveals()
            .ok()
            .stdout_is(&format!("{long}\n"));
        env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
            .stdin(&short)
            .ok();
        env.run(&["token"])
            .reveals()
            .ok()
            .stdout_is(&format!("{short}\n"));
        env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
            .stdin(&long)
            .ok();
        env.run(&["logout"]).ok();
        env.run(&["token"]).code(3);
    }
}
