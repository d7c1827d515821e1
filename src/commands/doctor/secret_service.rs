//! Is a Secret Service there? Who provides it, and is its default collection
//! locked? Asked on the D-Bus session bus (Linux), under a deadline, as every
//! keyring call is.

// Only Linux asks a Secret Service; elsewhere `ask` finds none.
#![cfg_attr(not(target_os = "linux"), allow(dead_code))]

use std::sync::mpsc;
use std::time::Duration;

/// What the session bus says about the Secret Service.
#[derive(Debug)]
pub enum Finding {
    /// No session bus to ask (headless login, cron, ssh without a session).
    NoBus { address: String, reason: String },
    /// Nobody owns `org.freedesktop.secrets`, and the bus cannot start one.
    NoService,
    /// The service answered.
    Service { daemon: String, default: Collection },
    /// The bus or the service said nothing within the deadline.
    NoAnswer { after: Duration },
}

#[derive(Debug)]
pub enum Collection {
    Unlocked {
        label: String,
    },
    Locked {
        label: String,
    },
    /// No collection has the alias `default`: nothing can be stored.
    None,
    /// The service answered the question with an error.
    Error(String),
}

/// Asks the bus, giving up after `deadline`. The worker thread of a call
/// that hangs is left behind: doctor exits soon after.
pub fn probe(deadline: Duration) -> Finding {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(ask());
    });
    receive
        .recv_timeout(deadline)
        .unwrap_or(Finding::NoAnswer { after: deadline })
}

/// Where the session bus is said to be, for messages.
pub fn bus_address() -> String {
    match std::env::var("DBUS_SESSION_BUS_ADDRESS") {
        Ok(address) => format!("DBUS_SESSION_BUS_ADDRESS={address}"),
        Err(_) => "DBUS_SESSION_BUS_ADDRESS is not set".to_string(),
    }
}

#[cfg(target_os = "linux")]
fn ask() -> Finding {
    use zbus::blocking::fdo::DBusProxy;
    use zbus::blocking::{Connection, Proxy};
    use zbus::names::BusName;
    use zbus::zvariant::OwnedObjectPath;

    const SERVICE: &str = "org.freedesktop.secrets";
    let connection = match Connection::session() {
        Ok(connection) => connection,
        Err(err) => {
            return Finding::NoBus {
                address: bus_address(),
                reason: err.to_string(),
            };
        }
    };
    let Ok(bus) = DBusProxy::new(&connection) else {
        return Finding::NoService;
    };
    let Ok(service_name) = BusName::try_from(SERVICE) else {
        return Finding::NoService;
    };
    let owner = bus.get_name_owner(service_name.clone()).ok();
    let activatable = bus
        .list_activatable_names()
        .map(|names| names.iter().any(|name| name.as_str() == SERVICE))
        .unwrap_or(false);
    if owner.is_none() && !activatable {
        return Finding::NoService;
    }
    // Asking activates an activatable service, as the keyring store would.
    let default = default_collection(&connection);
    let owner = owner.or_else(|| bus.get_name_owner(service_name).ok());
    let daemon = owner
        .and_then(|owner| {
            bus.get_connection_unix_process_id(BusName::from(owner.into_inner()))
                .ok()
        })
        .map(daemon_name)
        .unwrap_or_else(|| "an unknown program".to_string());
    return Finding::Service { daemon, default };

    fn default_collection(connection: &Connection) -> Collection {
        let service = match Proxy::new(
            connection,
            SERVICE,
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service",
        ) {
            Ok(service) => service,
            Err(err) => return Collection::Error(err.to_string()),
        };
        let path: OwnedObjectPath = match service.call("ReadAlias", &("default",)) {
            Ok(path) => path,
            Err(err) => return Collection::Error(err.to_string()),
        };
        if path.as_str() == "/" {
            return Collection::None;
        }
        let collection = match Proxy::new(
            connection,
            SERVICE,
            path.as_str().to_string(),
            "org.freedesktop.Secret.Collection",
        ) {
            Ok(collection) => collection,
            Err(err) => return Collection::Error(err.to_string()),
        };
        let label = collection
            .get_property::<String>("Label")
            .unwrap_or_else(|_| path.as_str().to_string());
        match collection.get_property::<bool>("Locked") {
            Ok(true) => Collection::Locked { label },
            Ok(false) => Collection::Unlocked { label },
            Err(err) => Collection::Error(err.to_string()),
        }
    }
}

/// `gnome-keyring-daemon (pid 1234)`: the program's name from its command line.
#[cfg(target_os = "linux")]
fn daemon_name(pid: u32) -> String {
    let name = std::fs::read(format!("/proc/{pid}/cmdline"))
        .ok()
        .and_then(|cmdline| {
            let first = cmdline.split(|byte| *byte == 0).next()?.to_vec();
            let first = String::from_utf8_lossy(&first).into_owned();
            std::path::Path::new(&first)
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
        })
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "an unknown program".to_string());
    format!("{name} (pid {pid})")
}

#[cfg(not(target_os = "linux"))]
fn ask() -> Finding {
    Finding::NoService
}
