//! A lean Secret Service client (freedesktop.org Secret Service API) on our
//! blocking D-Bus connection (dbus.rs): what gnome-keyring, KeePassXC and
//! KWallet serve on the session bus.
//!
//! Why not a general-purpose crate: crmauth needs exactly the traffic that
//! libsecret sends, because that is what every implementation is tested
//! with. So: one connection on the calling thread, the service addressed by
//! the unique name that answered OpenSession (a replaced daemon never
//! receives calls meant for the old one's session), secrets read with
//! `Service.GetSecrets` on the service object (not `Item.GetSecret` on the
//! item: gnome-keyring 42 crashes when a client leaves during that one), and
//! records stored as `text/plain`, over a Diffie-Hellman encrypted session
//! as libsecret does.
//!
//! One thing libsecret does not: the first call after OpenSession is sent
//! before OpenSession's answer is read, so the daemon's key exchange and
//! the search overlap our own half of it.

use std::collections::HashMap;

use thiserror::Error;
use zvariant::{OwnedObjectPath, OwnedValue, Value};

use crate::store::dbus::{Bus, BusError, Call, Deadline};
use crate::store::secret_session::{self, PrivateKey, SessionKey};

const SERVICE_NAME: &str = "org.freedesktop.secrets";
const SERVICE_PATH: &str = "/org/freedesktop/secrets";
const SERVICE_IFACE: &str = "org.freedesktop.Secret.Service";
const COLLECTION_IFACE: &str = "org.freedesktop.Secret.Collection";
const ITEM_IFACE: &str = "org.freedesktop.Secret.Item";
const PROMPT_IFACE: &str = "org.freedesktop.Secret.Prompt";
const CONTENT_TYPE: &str = "text/plain";

/// What went wrong, in words that say which case it is; the D-Bus error text
/// follows after a colon where there is one.
#[derive(Debug, Error)]
pub enum ServiceError {
    #[error("cannot connect to the D-Bus session bus: {0}")]
    NoBus(String),
    #[error(
        "no Secret Service (gnome-keyring, KeePassXC, KWallet) is running on the session bus: {0}"
    )]
    NoService(String),
    #[error("the keyring is locked: {0}")]
    Locked(String),
    #[error("the keyring is locked and its unlock prompt was dismissed (or could not be shown)")]
    UnlockDismissed,
    #[error("access to the keyring was denied: {0}")]
    Denied(String),
    #[error(
        "the Secret Service has no default collection (KWallet: a wallet created after kwalletd started; KeePassXC: no exposed group)"
    )]
    NoDefaultCollection,
    #[error("{0} keyring items match; remove the extras")]
    Ambiguous(usize),
    #[error("the Secret Service stopped answering: {0}")]
    Gone(String),
    #[error("the Secret Service failed: {0}")]
    Failed(String),
    /// The keyring works; the record in it cannot be read (exit 1, not 6).
    #[error("{0}")]
    BadRecord(&'static str),
    /// Nothing came before the deadline.
    #[error("no answer within {} s", .0.as_secs())]
    NoAnswer(std::time::Duration),
}

impl From<BusError> for ServiceError {
    fn from(err: BusError) -> Self {
        match err {
            BusError::Method { name, message } => from_dbus_error(&name, &message),
            BusError::Io(io) => Self::Gone(io.to_string()),
            BusError::NoBus(text) => Self::NoBus(text),
            BusError::Protocol(text) => Self::Failed(text),
            BusError::Timeout(waited) => Self::NoAnswer(waited),
        }
    }
}

/// Sorts the errors gnome-keyring, KeePassXC and KWallet really return.
fn from_dbus_error(name: &str, message: &str) -> ServiceError {
    let text = if message.is_empty() {
        name.to_string()
    } else {
        format!("{name}: {message}")
    };
    match name.rsplit('.').next().unwrap_or(name) {
        "ServiceUnknown" | "NameHasNoOwner" => ServiceError::NoService(text),
        "IsLocked" => ServiceError::Locked(text),
        "AccessDenied" | "NotAuthorized" | "AuthFailed" => ServiceError::Denied(text),
        "NoReply" | "Disconnected" | "Timeout" | "TimedOut" => ServiceError::Gone(text),
        _ => ServiceError::Failed(text),
    }
}

/// One connection to the Secret Service with an encrypted session.
pub struct SecretService {
    bus: Bus,
    session: Session,
}

enum Session {
    /// OpenSession is sent; its answer is read before the next answer.
    Opening {
        serial: u32,
        private: PrivateKey,
    },
    Open(OpenSession),
}

struct OpenSession {
    /// The unique name of the daemon that answered OpenSession.
    owner: String,
    path: OwnedObjectPath,
    key: SessionKey,
}

impl SecretService {
    /// Connects and opens a session; runs `work` on it, every call answered
    /// before `deadline` or failing. The connection closes when this returns.
    pub fn with<T>(
        deadline: Deadline,
        work: impl FnOnce(&mut SecretService) -> Result<T, ServiceError>,
    ) -> Result<T, ServiceError> {
        let mut bus = Bus::session(deadline)?;
        // Computed while the bus authenticates us and answers Hello.
        let (private, public) = secret_session::keypair()
            .ok_or_else(|| ServiceError::Failed("the OS gave no random numbers".into()))?;
        let open = Call {
            destination: SERVICE_NAME,
            path: SERVICE_PATH,
            interface: SERVICE_IFACE,
            member: "OpenSession",
        };
        let serial = bus.send(&open, &(secret_session::ALGORITHM, Value::from(public)))?;
        let mut service = Self {
            bus,
            session: Session::Opening { serial, private },
        };
        work(&mut service)
    }

    /// The open session, once OpenSession's answer is read.
    fn session(&mut self) -> Result<&OpenSession, ServiceError> {
        if let Session::Opening { serial, private } = &self.session {
            let reply = self.bus.reply(*serial)?;
            let owner = reply
                .sender()
                .ok_or_else(|| ServiceError::Failed("OpenSession answered by nobody".into()))?
                .to_string();
            let (output, path): (OwnedValue, OwnedObjectPath) = reply.body()?;
            let server_public = Vec::<u8>::try_from(output)
                .map_err(|_| ServiceError::Failed("OpenSession returned no server key".into()))?;
            let key = secret_session::derive_key(private, &server_public).ok_or_else(|| {
                ServiceError::Failed("OpenSession returned a bad server key".into())
            })?;
            self.session = Session::Open(OpenSession { owner, path, key });
        }
        match &self.session {
            Session::Open(open) => Ok(open),
            Session::Opening { .. } => Err(ServiceError::Failed("no session".into())),
        }
    }

    /// Calls a method of the daemon that owns the session. A call made
    /// while OpenSession is unanswered goes to the well-known name; its
    /// answer must then come from the same daemon.
    fn call<B, R>(
        &mut self,
        path: &str,
        interface: &str,
        member: &str,
        body: &B,
    ) -> Result<R, ServiceError>
    where
        B: serde::Serialize + zvariant::DynamicType,
        R: serde::de::DeserializeOwned + zvariant::Type,
    {
        let destination = match &self.session {
            Session::Open(open) => open.owner.clone(),
            Session::Opening { .. } => SERVICE_NAME.to_string(),
        };
        let call = Call {
            destination: &destination,
            path,
            interface,
            member,
        };
        let serial = self.bus.send(&call, body)?;
        let owner = self.session()?.owner.clone();
        let reply = self.bus.reply(serial)?;
        if reply.sender() != Some(owner.as_str()) {
            return Err(ServiceError::Gone(
                "another Secret Service took over during the call".into(),
            ));
        }
        Ok(reply.body()?)
    }

    /// The one item whose attributes are exactly these, unlocked (which may
    /// prompt); `None` when there is none.
    fn find(
        &mut self,
        attributes: &HashMap<&str, &str>,
    ) -> Result<Option<OwnedObjectPath>, ServiceError> {
        let (unlocked, locked): (Vec<OwnedObjectPath>, Vec<OwnedObjectPath>) =
            self.call(SERVICE_PATH, SERVICE_IFACE, "SearchItems", &(attributes,))?;
        let count = unlocked.len() + locked.len();
        if count > 1 {
            return Err(ServiceError::Ambiguous(count));
        }
        if let Some(item) = unlocked.into_iter().next() {
            return Ok(Some(item));
        }
        match locked.into_iter().next() {
            Some(item) => {
                self.unlock(&item)?;
                Ok(Some(item))
            }
            None => Ok(None),
        }
    }

    fn unlock(&mut self, object: &OwnedObjectPath) -> Result<(), ServiceError> {
        let (_unlocked, prompt): (Vec<OwnedObjectPath>, OwnedObjectPath) =
            self.call(SERVICE_PATH, SERVICE_IFACE, "Unlock", &(vec![object],))?;
        match self.prompt(&prompt)? {
            Prompted::Done => Ok(()),
            // gnome-keyring asks for the collection's password; KeePassXC
            // also asks whether this client may read an item ("confirm
            // access") of an unlocked database: that one was refused.
            Prompted::Dismissed if self.collection_is_locked(object) => {
                Err(ServiceError::UnlockDismissed)
            }
            Prompted::Dismissed => Err(ServiceError::Denied(
                "the keyring's access dialog was denied or dismissed".into(),
            )),
        }
    }

    /// Whether the collection of `object` (an item or a collection) is
    /// locked; true when that cannot be told.
    fn collection_is_locked(&mut self, object: &OwnedObjectPath) -> bool {
        let collection = match object
            .as_str()
            .strip_prefix("/org/freedesktop/secrets/collection/")
        {
            Some(rest) => match rest.split_once('/') {
                Some((name, _item)) => format!("/org/freedesktop/secrets/collection/{name}"),
                None => object.to_string(),
            },
            None => object.to_string(),
        };
        let locked: Result<(OwnedValue,), _> = self.call(
            &collection,
            "org.freedesktop.DBus.Properties",
            "Get",
            &(COLLECTION_IFACE, "Locked"),
        );
        !matches!(locked.map(|(value,)| bool::try_from(value)), Ok(Ok(false)))
    }

    /// Runs a prompt (an unlock or confirmation dialog) to its end. "/" means
    /// none was needed.
    fn prompt(&mut self, prompt: &OwnedObjectPath) -> Result<Prompted, ServiceError> {
        if prompt.as_str() == "/" {
            return Ok(Prompted::Done);
        }
        let owner = self.session()?.owner.clone();
        // Object paths and unique names hold no quote that would need escaping.
        let rule = format!(
            "type='signal',sender='{owner}',interface='{PROMPT_IFACE}',member='Completed',path='{}'",
            prompt.as_str()
        );
        self.bus.add_match(&rule)?;
        let () = self.call(prompt.as_str(), PROMPT_IFACE, "Prompt", &("",))?;
        let signal = self.bus.signal(|message| {
            message.sender() == Some(owner.as_str())
                && message.is_signal(prompt.as_str(), PROMPT_IFACE, "Completed")
        })?;
        let (dismissed, _result): (bool, OwnedValue) = signal.body()?;
        Ok(if dismissed {
            Prompted::Dismissed
        } else {
            Prompted::Done
        })
    }

    /// The secret of the item with these attributes, if there is one.
    pub fn lookup(
        &mut self,
        attributes: &HashMap<&str, &str>,
    ) -> Result<Option<Vec<u8>>, ServiceError> {
        let Some(item) = self.find(attributes)? else {
            return Ok(None);
        };
        let session = self.session()?.path.clone();
        let mut secrets: HashMap<OwnedObjectPath, SecretStruct> = self.call(
            SERVICE_PATH,
            SERVICE_IFACE,
            "GetSecrets",
            &(vec![&item], &session),
        )?;
        // Present in the search but not here: hidden again (locked) between
        // the two calls, or access was refused without an error.
        let Some((_session, iv, value, _content_type)) = secrets.remove(&item) else {
            return Err(ServiceError::Denied(
                "the Secret Service returned no secret for the item".into(),
            ));
        };
        secret_session::decrypt(&self.session()?.key, &iv, &value)
            .map(Some)
            .ok_or(ServiceError::BadRecord(
                "the stored secret cannot be decrypted",
            ))
    }

    /// Stores the secret: replaces the secret of the existing item, else
    /// creates one in the default collection.
    pub fn store(
        &mut self,
        label: &str,
        attributes: &HashMap<&str, &str>,
        secret: &[u8],
    ) -> Result<(), ServiceError> {
        let secret = self.encrypt(secret)?;
        if let Some(item) = self.find(attributes)? {
            let () = self.call(item.as_str(), ITEM_IFACE, "SetSecret", &(&secret,))?;
            return Ok(());
        }
        let collection: OwnedObjectPath =
            self.call(SERVICE_PATH, SERVICE_IFACE, "ReadAlias", &("default",))?;
        if collection.as_str() == "/" {
            return Err(ServiceError::NoDefaultCollection);
        }
        let properties: HashMap<&str, Value> = HashMap::from([
            ("org.freedesktop.Secret.Item.Label", Value::from(label)),
            (
                "org.freedesktop.Secret.Item.Attributes",
                Value::from(attributes.clone()),
            ),
        ]);
        let created: Result<(OwnedObjectPath, OwnedObjectPath), _> = self.call(
            collection.as_str(),
            COLLECTION_IFACE,
            "CreateItem",
            &(&properties, &secret, true),
        );
        let prompt = match created {
            Ok((_item, prompt)) => prompt,
            // A locked default collection: unlock it (may prompt), once.
            Err(ServiceError::Locked(_)) => {
                self.unlock(&collection)?;
                let (_item, prompt): (OwnedObjectPath, OwnedObjectPath) = self.call(
                    collection.as_str(),
                    COLLECTION_IFACE,
                    "CreateItem",
                    &(&properties, &secret, true),
                )?;
                prompt
            }
            Err(err) => return Err(err),
        };
        match self.prompt(&prompt)? {
            Prompted::Done => Ok(()),
            Prompted::Dismissed => Err(ServiceError::Denied("the prompt was dismissed".into())),
        }
    }

    /// Deletes the item with these attributes; `false` when there was none.
    pub fn delete(&mut self, attributes: &HashMap<&str, &str>) -> Result<bool, ServiceError> {
        let Some(item) = self.find(attributes)? else {
            return Ok(false);
        };
        let prompt: OwnedObjectPath = self.call(item.as_str(), ITEM_IFACE, "Delete", &())?;
        match self.prompt(&prompt)? {
            Prompted::Done => Ok(true),
            Prompted::Dismissed => Err(ServiceError::Denied("the prompt was dismissed".into())),
        }
    }

    fn encrypt(&mut self, secret: &[u8]) -> Result<SecretStruct, ServiceError> {
        let session = self.session()?;
        let (iv, value) = secret_session::encrypt(&session.key, secret)
            .ok_or_else(|| ServiceError::Failed("the OS gave no random numbers".into()))?;
        Ok((session.path.clone(), iv, value, CONTENT_TYPE.to_string()))
    }
}

enum Prompted {
    Done,
    Dismissed,
}

/// The Secret Service's `(oayays)`: session, parameters (the AES IV), value,
/// content type.
type SecretStruct = (OwnedObjectPath, Vec<u8>, Vec<u8>, String);

#[cfg(test)]
mod tests {
    use super::*;

    /// The D-Bus errors gnome-keyring, KeePassXC and KWallet really return,
    /// each to a message that says which case it is, the D-Bus text after it.
    #[test]
    fn dbus_errors_say_which_case_they_are() {
        let cases = [
            (
                "org.freedesktop.DBus.Error.ServiceUnknown",
                "The name org.freedesktop.secrets was not provided by any .service files",
                "no Secret Service (gnome-keyring, KeePassXC, KWallet) is running on the session bus: org.freedesktop.DBus.Error.ServiceUnknown: The name",
            ),
            (
                "org.freedesktop.Secret.Error.IsLocked",
                "",
                "the keyring is locked: org.freedesktop.Secret.Error.IsLocked",
            ),
            (
                "org.freedesktop.DBus.Error.AccessDenied",
                "Rejected send message",
                "access to the keyring was denied: org.freedesktop.DBus.Error.AccessDenied: Rejected",
            ),
            (
                "org.freedesktop.DBus.Error.NoReply",
                "Message recipient disconnected from message bus without replying",
                "the Secret Service stopped answering: org.freedesktop.DBus.Error.NoReply: Message recipient",
            ),
            (
                "org.freedesktop.Secret.Error.NoSuchObject",
                "The collection does not exist",
                "the Secret Service failed: org.freedesktop.Secret.Error.NoSuchObject: The collection",
            ),
        ];
        for (name, message, expected) in cases {
            let text = from_dbus_error(name, message).to_string();
            assert!(text.starts_with(expected), "{name}: {text}");
            assert!(!text.contains("unlock"), "{name}: {text}");
        }
    }

    #[test]
    fn only_an_is_locked_error_says_locked() {
        for name in [
            "org.freedesktop.DBus.Error.Failed",
            "org.freedesktop.DBus.Error.LimitsExceeded",
            "org.freedesktop.DBus.Error.InvalidArgs",
        ] {
            let text = from_dbus_error(name, "message too large").to_string();
            assert!(!text.contains("locked"), "{name}: {text}");
        }
    }
}
