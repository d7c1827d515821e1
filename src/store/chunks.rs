//! Records longer than one keyring entry can hold, split across several.
//!
//! Windows Credential Manager keeps at most 2,560 bytes per credential, and
//! the keyring store writes a secret as UTF-16: 1,280 characters, less than a
//! Virto login's record (a JWT, a JWE refresh token, a client secret). A
//! record that fits stays one entry, as on Linux and macOS. A longer one is
//! written as parts `<profile>#<generation>-1`, `-2`, ... and the profile's
//! own entry (the head) then says `crmauth-parts:<generation>:<count>`:
//!
//! 1. write every part under a new generation;
//! 2. switch the head to it (one write: readers see the old record or the new);
//! 3. delete the old generation's parts.
//!
//! A reader that read the old head while a writer deleted its parts finds a
//! part missing, reads the head again and gets the new generation.

use std::time::{SystemTime, UNIX_EPOCH};

use keyring_core::Error as KeyringError;

use crate::secret::Secret;

/// What a head entry that points to parts starts with. A record is JSON and
/// starts with `{`, so the two never mix.
const HEAD_PREFIX: &str = "crmauth-parts:";

/// Windows: CRED_MAX_CREDENTIAL_BLOB_SIZE (2,560 bytes) in UTF-16 units.
pub const WINDOWS_ENTRY_UNITS: usize = 1280;

/// At most this many parts: 64 × 1,280 characters, 80 KiB, far over any real
/// record, and a bound on the entries one profile can leave behind.
const MAX_PARTS: usize = 64;

/// How often a reader starts over when a writer switched generations under it.
const READ_ATTEMPTS: usize = 3;

/// The entries of one keyring service, by account name.
pub trait Entries {
    /// `Err(NoEntry)` when there is none.
    fn get(&self, account: &str) -> Result<Secret, KeyringError>;
    fn set(&self, account: &str, value: &Secret) -> Result<(), KeyringError>;
    fn delete(&self, account: &str) -> Result<(), KeyringError>;
}

#[derive(Debug, PartialEq, Eq)]
struct Parts {
    generation: String,
    count: usize,
}

impl Parts {
    fn parse(head: &str) -> Option<Self> {
        let (generation, count) = head.strip_prefix(HEAD_PREFIX)?.split_once(':')?;
        let count = count
            .parse()
            .ok()
            .filter(|count| (1..=MAX_PARTS).contains(count))?;
        let valid = !generation.is_empty() && generation.chars().all(|c| c.is_ascii_hexdigit());
        valid.then(|| Self {
            generation: generation.to_string(),
            count,
        })
    }

    fn head(&self) -> Secret {
        Secret::new(format!("{HEAD_PREFIX}{}:{}", self.generation, self.count))
    }

    /// Accounts of parts 1..=count. `#` is never in a profile name.
    fn accounts(&self, profile: &str) -> impl Iterator<Item = String> + '_ {
        let profile = profile.to_string();
        (1..=self.count).map(move |index| format!("{profile}#{}-{index}", self.generation))
    }
}

/// The profile's record, whole; `Err(NoEntry)` when there is none.
pub fn load(entries: &impl Entries, profile: &str) -> Result<Secret, KeyringError> {
    for _ in 0..READ_ATTEMPTS {
        let head = entries.get(profile)?;
        let Some(parts) = Parts::parse(head.expose()) else {
            return Ok(head);
        };
        let mut record = String::new();
        let mut complete = true;
        for account in parts.accounts(profile) {
            match entries.get(&account) {
                Ok(part) => record.push_str(part.expose()),
                // A writer replaced this generation since the head was read.
                Err(KeyringError::NoEntry) => {
                    complete = false;
                    break;
                }
                Err(err) => return Err(err),
            }
        }
        let record = Secret::new(record);
        if complete {
            return Ok(record);
        }
    }
    Err(KeyringError::BadStoreFormat(format!(
        "a part of the record of '{profile}' is missing"
    )))
}

/// Stores `record` as one entry when it holds `units_per_entry` UTF-16 units
/// or fewer, else in parts (see the module comment).
pub fn save(
    entries: &impl Entries,
    profile: &str,
    record: &Secret,
    units_per_entry: usize,
) -> Result<(), KeyringError> {
    let old = current_parts(entries, profile)?;
    let pieces = split(record.expose(), units_per_entry);
    if pieces.len() <= 1 {
        entries.set(profile, record)?;
    } else {
        if pieces.len() > MAX_PARTS {
            return Err(KeyringError::TooLong(
                "record in UTF-16 code units".to_string(),
                u32::try_from(MAX_PARTS * units_per_entry).unwrap_or(u32::MAX),
            ));
        }
        let parts = Parts {
            generation: new_generation(old.as_ref()),
            count: pieces.len(),
        };
        for (account, piece) in parts.accounts(profile).zip(pieces) {
            entries.set(&account, &Secret::new(piece))?;
        }
        entries.set(profile, &parts.head())?;
    }
    if let Some(old) = old {
        remove_parts(entries, profile, &old);
    }
    Ok(())
}

/// Removes the record and its parts; a missing record is not an error.
pub fn delete(entries: &impl Entries, profile: &str) -> Result<(), KeyringError> {
    let old = current_parts(entries, profile)?;
    // The head first: a reader never finds a head whose parts are gone for good.
    match entries.delete(profile) {
        Ok(()) | Err(KeyringError::NoEntry) => {}
        Err(err) => return Err(err),
    }
    if let Some(old) = old {
        remove_parts(entries, profile, &old);
    }
    Ok(())
}

fn current_parts(entries: &impl Entries, profile: &str) -> Result<Option<Parts>, KeyringError> {
    match entries.get(profile) {
        Ok(head) => Ok(Parts::parse(head.expose())),
        Err(KeyringError::NoEntry) => Ok(None),
        // A head that is not UTF-8 is a damaged record, to be overwritten.
        Err(KeyringError::BadEncoding(_)) => Ok(None),
        Err(err) => Err(err),
    }
}

/// Best effort: the record is already whole without them, and a part left
/// behind holds a secret that nothing points to any more.
fn remove_parts(entries: &impl Entries, profile: &str, parts: &Parts) {
    for account in parts.accounts(profile) {
        let _ = entries.delete(&account);
    }
}

/// Pieces of at most `units` UTF-16 units each, never splitting a character.
fn split(text: &str, units: usize) -> Vec<String> {
    let mut pieces = vec![String::new()];
    let mut used = 0;
    for c in text.chars() {
        if used + c.len_utf16() > units {
            pieces.push(String::new());
            used = 0;
        }
        used += c.len_utf16();
        if let Some(piece) = pieces.last_mut() {
            piece.push(c);
        }
    }
    pieces
}

/// Hex nanoseconds since 1970, different from the current generation's.
fn new_generation(old: Option<&Parts>) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos());
    let generation = format!("{nanos:x}");
    match old {
        Some(old) if old.generation == generation => format!("{nanos:x}0"),
        _ => generation,
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::collections::BTreeMap;

    use super::*;

    /// Entries in memory, each at most `units` long, as Credential Manager.
    struct Memory {
        units: usize,
        entries: RefCell<BTreeMap<String, String>>,
    }

    impl Memory {
        fn new(units: usize) -> Self {
            Self {
                units,
                entries: RefCell::new(BTreeMap::new()),
            }
        }

        fn accounts(&self) -> Vec<String> {
            self.entries.borrow().keys().cloned().collect()
        }
    }

    impl Entries for Memory {
        fn get(&self, account: &str) -> Result<Secret, KeyringError> {
            let entries = self.entries.borrow();
            let value = entries.get(account).ok_or(KeyringError::NoEntry)?;
            Ok(Secret::new(value.clone()))
        }

        fn set(&self, account: &str, value: &Secret) -> Result<(), KeyringError> {
            if value.expose().encode_utf16().count() > self.units {
                return Err(KeyringError::TooLong("secret".to_string(), 2560));
            }
            let mut entries = self.entries.borrow_mut();
            entries.insert(account.to_string(), value.expose().to_string());
            Ok(())
        }

        fn delete(&self, account: &str) -> Result<(), KeyringError> {
            let mut entries = self.entries.borrow_mut();
            entries
                .remove(account)
                .map(drop)
                .ok_or(KeyringError::NoEntry)
        }
    }

    fn record(len: usize) -> Secret {
        // Characters of one, two (é) and four (𝄞, two UTF-16 units) bytes.
        let body: String = "ab-é-𝄞-".chars().cycle().take(len).collect();
        Secret::new(format!("{{\"access\":\"{body}\"}}"))
    }

    #[test]
    fn a_short_record_is_one_entry_as_before() {
        let store = Memory::new(WINDOWS_ENTRY_UNITS);
        let short = record(100);
        save(&store, "p", &short, WINDOWS_ENTRY_UNITS).unwrap();
        assert_eq!(store.accounts(), ["p"]);
        assert_eq!(load(&store, "p").unwrap().expose(), short.expose());
    }

    #[test]
    fn an_8_kib_record_round_trips_in_parts_that_each_fit() {
        let store = Memory::new(WINDOWS_ENTRY_UNITS);
        let long = record(8 * 1024);
        save(&store, "p", &long, WINDOWS_ENTRY_UNITS).unwrap();
        assert!(store.accounts().len() > 2, "{:?}", store.accounts());
        assert_eq!(load(&store, "p").unwrap().expose(), long.expose());
    }

    #[test]
    fn rewriting_leaves_only_the_new_generation() {
        let store = Memory::new(WINDOWS_ENTRY_UNITS);
        save(&store, "p", &record(8 * 1024), WINDOWS_ENTRY_UNITS).unwrap();
        let newer = record(5 * 1024);
        save(&store, "p", &newer, WINDOWS_ENTRY_UNITS).unwrap();
        assert_eq!(load(&store, "p").unwrap().expose(), newer.expose());
        let Parts { generation, count } = Parts::parse(store.get("p").unwrap().expose()).unwrap();
        assert_eq!(store.accounts().len(), count + 1, "{:?}", store.accounts());
        assert!(
            store
                .accounts()
                .iter()
                .all(|account| account == "p" || account.starts_with(&format!("p#{generation}-")))
        );
        // And back to one entry.
        save(&store, "p", &record(10), WINDOWS_ENTRY_UNITS).unwrap();
        assert_eq!(store.accounts(), ["p"]);
    }

    #[test]
    fn delete_removes_every_part_and_other_profiles_stay() {
        let store = Memory::new(WINDOWS_ENTRY_UNITS);
        save(&store, "p", &record(4000), WINDOWS_ENTRY_UNITS).unwrap();
        save(&store, "p2", &record(4000), WINDOWS_ENTRY_UNITS).unwrap();
        delete(&store, "p").unwrap();
        assert!(matches!(load(&store, "p"), Err(KeyringError::NoEntry)));
        assert!(store.accounts().iter().all(|a| a.starts_with("p2")));
        assert_eq!(load(&store, "p2").unwrap().expose(), record(4000).expose());
        delete(&store, "nobody").unwrap();
    }

    #[test]
    fn a_reader_that_lost_a_part_to_a_writer_reads_the_new_generation() {
        /// Switches the record to a new generation right after the first
        /// part of the old one was read.
        struct Racing {
            store: Memory,
            raced: RefCell<bool>,
        }
        impl Entries for Racing {
            fn get(&self, account: &str) -> Result<Secret, KeyringError> {
                let value = self.store.get(account);
                if account.ends_with("-1") && !self.raced.replace(true) {
                    save(&self.store, "p", &record(6000), WINDOWS_ENTRY_UNITS)?;
                }
                value
            }
            fn set(&self, account: &str, value: &Secret) -> Result<(), KeyringError> {
                self.store.set(account, value)
            }
            fn delete(&self, account: &str) -> Result<(), KeyringError> {
                self.store.delete(account)
            }
        }
        let racing = Racing {
            store: Memory::new(WINDOWS_ENTRY_UNITS),
            raced: RefCell::new(false),
        };
        save(&racing.store, "p", &record(8000), WINDOWS_ENTRY_UNITS).unwrap();
        assert_eq!(load(&racing, "p").unwrap().expose(), record(6000).expose());
    }

    #[test]
    fn a_record_over_the_limit_is_too_long_naming_it() {
        let store = Memory::new(WINDOWS_ENTRY_UNITS);
        let err = save(&store, "p", &record(100_000), WINDOWS_ENTRY_UNITS).unwrap_err();
        assert!(err.to_string().contains("81920"), "{err}");
        assert!(store.accounts().is_empty());
    }

    #[test]
    fn split_never_cuts_a_character() {
        let pieces = split("a𝄞𝄞", 2);
        assert_eq!(pieces, ["a", "𝄞", "𝄞"]);
    }
}
