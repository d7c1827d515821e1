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
        let _ = send.send(ask(deadline));
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
fn ask(deadline: Duration) -> Finding {
    use crate::store::dbus::{Bus, BusError, Call, Deadline};

    const SERVICE: &str = "org.freedesktop.secrets";
    let to_bus = |member| Call {
        destination: "org.freedesktop.DBus",
        path: "/org/freedesktop/DBus",
        interface: "org.freedesktop.DBus",
        member,
    };
    let no_bus = |err: BusError| Finding::NoBus {
        address: bus_address(),
        reason: err.to_string(),
    };
    let mut bus = match Bus::session(Deadline::after(deadline)) {
        Ok(bus) => bus,
        Err(err) => return no_bus(err),
    };
    let owner = match bus.call::<_, String>(&to_bus("GetNameOwner"), &(SERVICE,)) {
        Ok(owner) => Some(owner),
        Err(BusError::Method { .. }) => None,
        Err(err) => return no_bus(err),
    };
    let activatable = bus
        .call::<_, Vec<String>>(&to_bus("ListActivatableNames"), &())
        .map(|names| names.iter().any(|name| name == SERVICE))
        .unwrap_or(false);
    if owner.is_none() && !activatable {
        return Finding::NoService;
    }
    // Asking activates an activatable service, as the keyring store would.
    let default = default_collection(&mut bus);
    let owner = owner.or_else(|| bus.call(&to_bus("GetNameOwner"), &(SERVICE,)).ok());
    let daemon = owner
        .and_then(|owner: String| {
            bus.call::<_, u32>(&to_bus("GetConnectionUnixProcessID"), &(owner.as_str(),))
                .ok()
        })
        .map(daemon_name)
        .unwrap_or_else(|| "an unknown program".to_string());
    return Finding::Service { daemon, default };

    fn default_collection(bus: &mut Bus) -> Collection {
        use zvariant::{OwnedObjectPath, OwnedValue};

        let read_alias = Call {
            destination: SERVICE,
            path: "/org/freedesktop/secrets",
            interface: "org.freedesktop.Secret.Service",
            member: "ReadAlias",
        };
        let path: OwnedObjectPath = match bus.call(&read_alias, &("default",)) {
            Ok(path) => path,
            Err(err) => return Collection::Error(err.to_string()),
        };
        if path.as_str() == "/" {
            return Collection::None;
        }
        let mut property = |name: &str| -> Result<OwnedValue, BusError> {
            let get = Call {
                destination: SERVICE,
                path: path.as_str(),
                interface: "org.freedesktop.DBus.Properties",
                member: "Get",
            };
            bus.call::<_, (OwnedValue,)>(&get, &("org.freedesktop.Secret.Collection", name))
                .map(|(value,)| value)
        };
        let label = property("Label")
            .ok()
            .and_then(|value| String::try_from(value).ok())
            .unwrap_or_else(|| path.as_str().to_string());
        match property("Locked").map(bool::try_from) {
            Ok(Ok(true)) => Collection::Locked { label },
            Ok(Ok(false)) => Collection::Unlocked { label },
            Ok(Err(err)) => Collection::Error(err.to_string()),
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
fn ask(_deadline: Duration) -> Finding {
    Finding::NoService
}
