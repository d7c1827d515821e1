//! A lean Secret Service client (freedesktop.org Secret Service API) on zbus:
//! what gnome-keyring, KeePassXC and KWallet serve on the session bus.
//!
//! Why not a general-purpose crate: crmauth needs exactly the traffic that
//! libsecret sends, because that is what every implementation is tested
//! with. So: one connection, no executor thread of its own (the calling
//! thread drives zbus), every call awaited before the next, the service
//! addressed by the unique name that answered first (a replaced daemon never
//! receives calls meant for the old one's session), secrets read with
//! `Service.GetSecrets` on the service object (not `Item.GetSecret` on the
//! item), and records stored as `text/plain`, over a Diffie-Hellman
//! encrypted session as libsecret does.

use std::collections::HashMap;

use futures_lite::StreamExt as _;
use thiserror::Error;
use zbus::message::Type as MessageType;
use zbus::names::{BusName, OwnedUniqueName};
use zbus::zvariant::{OwnedObjectPath, OwnedValue, Value};
use zbus::{Connection, DBusError as _, MatchRule, MessageStream};

use crate::store::secret_session::{self, SessionKey};

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
}

impl From<zbus::Error> for ServiceError {
    fn from(err: zbus::Error) -> Self {
        match err {
            zbus::Error::MethodError(name, message, _) => {
                from_dbus_error(name.as_str(), message.as_deref().unwrap_or(""))
            }
            zbus::Error::FDO(fdo) => {
                from_dbus_error(fdo.name().as_str(), fdo.description().unwrap_or(""))
            }
            zbus::Error::InputOutput(io) => Self::Gone(io.to_string()),
            zbus::Error::Address(text) => Self::NoBus(text),
            other => Self::Failed(other.to_string()),
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

/// One connection to the Secret Service with an open encrypted session.
pub struct SecretService {
    conn: Connection,
    /// The unique name of the daemon that answered the first call.
    owner: OwnedUniqueName,
    session: OwnedObjectPath,
    key: SessionKey,
}

impl SecretService {
    /// Connects and opens a session. Runs `work` on it, driving zbus on
    /// this thread, and closes the connection afterwards.
    pub fn with<T>(
        work: impl AsyncFnOnce(&SecretService) -> Result<T, ServiceError>,
    ) -> Result<T, ServiceError> {
        async_io::block_on(async {
            let conn = zbus::connection::Builder::session()
                .map_err(|err| ServiceError::NoBus(err.to_string()))?
                .internal_executor(false)
                .build()
                .await
                .map_err(|err| match err {
                    zbus::Error::Address(text) => ServiceError::NoBus(text),
                    other => ServiceError::NoBus(other.to_string()),
                })?;
            let outcome = drive(&conn, async {
                let service = Self::open(conn.clone()).await?;
                work(&service).await
            })
            .await;
            // Every call above was answered: nothing is in flight when the
            // connection goes.
            let _ = drive(&conn, conn.clone().close()).await;
            outcome
        })
    }

    async fn open(conn: Connection) -> Result<Self, ServiceError> {
        let (private, public) = secret_session::keypair()
            .ok_or_else(|| ServiceError::Failed("the OS gave no random numbers".into()))?;
        let reply = conn
            .call_method(
                Some(SERVICE_NAME),
                SERVICE_PATH,
                Some(SERVICE_IFACE),
                "OpenSession",
                &(secret_session::ALGORITHM, Value::from(public)),
            )
            .await?;
        let owner = reply
            .header()
            .sender()
            .map(|name| OwnedUniqueName::from(name.to_owned()))
            .ok_or_else(|| ServiceError::Failed("OpenSession answered by nobody".into()))?;
        let (output, session): (OwnedValue, OwnedObjectPath) = reply.body().deserialize()?;
        let server_public = Vec::<u8>::try_from(output)
            .map_err(|_| ServiceError::Failed("OpenSession returned no server key".into()))?;
        let key = secret_session::derive_key(&private, &server_public)
            .ok_or_else(|| ServiceError::Failed("OpenSession returned a bad server key".into()))?;
        Ok(Self {
            conn,
            owner,
            session,
            key,
        })
    }

    async fn call<B, R>(
        &self,
        path: &str,
        iface: &str,
        method: &str,
        body: &B,
    ) -> Result<R, ServiceError>
    where
        B: serde::Serialize + zbus::zvariant::DynamicType,
        R: for<'d> zbus::zvariant::DynamicDeserialize<'d>,
    {
        let destination = BusName::Unique(self.owner.as_ref());
        let reply = self
            .conn
            .call_method(Some(destination), path, Some(iface), method, body)
            .await?;
        Ok(reply.body().deserialize()?)
    }

    /// The one item whose attributes are exactly these, unlocked (which may
    /// prompt); `None` when there is none.
    async fn find(
        &self,
        attributes: &HashMap<&str, &str>,
    ) -> Result<Option<OwnedObjectPath>, ServiceError> {
        let (unlocked, locked): (Vec<OwnedObjectPath>, Vec<OwnedObjectPath>) = self
            .call(SERVICE_PATH, SERVICE_IFACE, "SearchItems", &(attributes,))
            .await?;
        let count = unlocked.len() + locked.len();
        if count > 1 {
            return Err(ServiceError::Ambiguous(count));
        }
        if let Some(item) = unlocked.into_iter().next() {
            return Ok(Some(item));
        }
        match locked.into_iter().next() {
            Some(item) => {
                self.unlock(&item).await?;
                Ok(Some(item))
            }
            None => Ok(None),
        }
    }

    async fn unlock(&self, object: &OwnedObjectPath) -> Result<(), ServiceError> {
        let (_unlocked, prompt): (Vec<OwnedObjectPath>, OwnedObjectPath) = self
            .call(SERVICE_PATH, SERVICE_IFACE, "Unlock", &(vec![object],))
            .await?;
        match self.prompt(&prompt).await? {
            Prompted::Done => Ok(()),
            // gnome-keyring asks for the collection's password; KeePassXC
            // also asks whether this client may read an item ("confirm
            // access") of an unlocked database: that one was refused.
            Prompted::Dismissed if self.collection_is_locked(object).await => {
                Err(ServiceError::UnlockDismissed)
            }
            Prompted::Dismissed => Err(ServiceError::Denied(
                "the keyring's access dialog was denied or dismissed".into(),
            )),
        }
    }

    /// Whether the collection of `object` (an item or a collection) is
    /// locked; true when that cannot be told.
    async fn collection_is_locked(&self, object: &OwnedObjectPath) -> bool {
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
        let locked: Result<(OwnedValue,), _> = self
            .call(
                &collection,
                "org.freedesktop.DBus.Properties",
                "Get",
                &(COLLECTION_IFACE, "Locked"),
            )
            .await;
        !matches!(locked.map(|(value,)| bool::try_from(value)), Ok(Ok(false)))
    }

    /// Runs a prompt (an unlock or confirmation dialog) to its end. "/" means
    /// none was needed.
    async fn prompt(&self, prompt: &OwnedObjectPath) -> Result<Prompted, ServiceError> {
        if prompt.as_str() == "/" {
            return Ok(Prompted::Done);
        }
        let rule = MatchRule::builder()
            .msg_type(MessageType::Signal)
            .sender(self.owner.as_ref())?
            .interface(PROMPT_IFACE)?
            .member("Completed")?
            .path(prompt.as_ref())?
            .build();
        let mut completed = MessageStream::for_match_rule(rule, &self.conn, Some(1)).await?;
        let () = self
            .call(prompt.as_str(), PROMPT_IFACE, "Prompt", &("",))
            .await?;
        let signal = completed
            .next()
            .await
            .ok_or_else(|| ServiceError::Gone("the prompt never completed".into()))??;
        let (dismissed, _result): (bool, OwnedValue) = signal.body().deserialize()?;
        Ok(if dismissed {
            Prompted::Dismissed
        } else {
            Prompted::Done
        })
    }

    /// The secret of the item with these attributes, if there is one.
    pub async fn lookup(
        &self,
        attributes: &HashMap<&str, &str>,
    ) -> Result<Option<Vec<u8>>, ServiceError> {
        let Some(item) = self.find(attributes).await? else {
            return Ok(None);
        };
        let mut secrets: HashMap<OwnedObjectPath, SecretStruct> = self
            .call(
                SERVICE_PATH,
                SERVICE_IFACE,
                "GetSecrets",
                &(vec![&item], &self.session),
            )
            .await?;
        // Present in the search but not here: hidden again (locked) between
        // the two calls, or access was refused without an error.
        let Some((_session, iv, value, _content_type)) = secrets.remove(&item) else {
            return Err(ServiceError::Denied(
                "the Secret Service returned no secret for the item".into(),
            ));
        };
        secret_session::decrypt(&self.key, &iv, &value)
            .map(Some)
            .ok_or(ServiceError::BadRecord(
                "the stored secret cannot be decrypted",
            ))
    }

    /// Stores the secret: replaces the secret of the existing item, else
    /// creates one in the default collection.
    pub async fn store(
        &self,
        label: &str,
        attributes: &HashMap<&str, &str>,
        secret: &[u8],
    ) -> Result<(), ServiceError> {
        let secret = self.encrypt(secret)?;
        if let Some(item) = self.find(attributes).await? {
            let () = self
                .call(item.as_str(), ITEM_IFACE, "SetSecret", &(&secret,))
                .await?;
            return Ok(());
        }
        let collection: OwnedObjectPath = self
            .call(SERVICE_PATH, SERVICE_IFACE, "ReadAlias", &("default",))
            .await?;
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
        let created: Result<(OwnedObjectPath, OwnedObjectPath), _> = self
            .call(
                collection.as_str(),
                COLLECTION_IFACE,
                "CreateItem",
                &(properties.clone(), &secret, true),
            )
            .await;
        let prompt = match created {
            Ok((_item, prompt)) => prompt,
            // A locked default collection: unlock it (may prompt), once.
            Err(ServiceError::Locked(_)) => {
                self.unlock(&collection).await?;
                let (_item, prompt): (OwnedObjectPath, OwnedObjectPath) = self
                    .call(
                        collection.as_str(),
                        COLLECTION_IFACE,
                        "CreateItem",
                        &(properties, &secret, true),
                    )
                    .await?;
                prompt
            }
            Err(err) => return Err(err),
        };
        match self.prompt(&prompt).await? {
            Prompted::Done => Ok(()),
            Prompted::Dismissed => Err(ServiceError::Denied("the prompt was dismissed".into())),
        }
    }

    /// Deletes the item with these attributes; `false` when there was none.
    pub async fn delete(&self, attributes: &HashMap<&str, &str>) -> Result<bool, ServiceError> {
        let Some(item) = self.find(attributes).await? else {
            return Ok(false);
        };
        let prompt: OwnedObjectPath = self.call(item.as_str(), ITEM_IFACE, "Delete", &()).await?;
        match self.prompt(&prompt).await? {
            Prompted::Done => Ok(true),
            Prompted::Dismissed => Err(ServiceError::Denied("the prompt was dismissed".into())),
        }
    }

    fn encrypt(&self, secret: &[u8]) -> Result<SecretStruct, ServiceError> {
        let (iv, value) = secret_session::encrypt(&self.key, secret)
            .ok_or_else(|| ServiceError::Failed("the OS gave no random numbers".into()))?;
        Ok((self.session.clone(), iv, value, CONTENT_TYPE.to_string()))
    }
}

/// Runs `work` while ticking the connection's executor on this same thread
/// (the connection has no executor thread of its own).
async fn drive<T>(conn: &Connection, work: impl std::future::Future<Output = T>) -> T {
    let executor = conn.executor();
    futures_lite::future::or(work, async {
        loop {
            executor.tick().await;
        }
    })
    .await
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
