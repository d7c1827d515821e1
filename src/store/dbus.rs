//! A blocking client for the D-Bus session bus: one Unix socket, read and
//! written on the calling thread. It does what the Secret Service client
//! (secret_service.rs) and `doctor` need and nothing else: method calls,
//! several of them in flight at once, and waiting for one signal. zvariant
//! marshals the values; this file frames the messages.
//!
//! Why not zbus: its blocking API runs on async-io, whose reactor is a thread
//! of its own, and it connects on a thread of the `blocking` pool, so every
//! keyring read started three threads and crossed between them on each
//! call. This is the hot path of `crmauth token` (issue #18).
//!
//! Every read waits until the caller's [`Deadline`], on this thread: no
//! worker thread is needed to give up on a frozen daemon.

use std::collections::{HashMap, VecDeque};
use std::io::{self, BufRead as _, BufReader, Read as _, Write as _};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;
use thiserror::Error;
use zvariant::serialized::{Context, Data};
use zvariant::{DynamicType, Endian, ObjectPath, OwnedValue, Signature, Type, Value};

pub use crate::store::deadline::Deadline;

const BUS_NAME: &str = "org.freedesktop.DBus";
const BUS_PATH: &str = "/org/freedesktop/DBus";
/// Far beyond any record; a peer that announces more is not believed.
const MAX_MESSAGE: usize = 16 << 20;
const LINE_LIMIT: u64 = 512;

const METHOD_CALL: u8 = 1;
const METHOD_RETURN: u8 = 2;
const ERROR: u8 = 3;
const SIGNAL: u8 = 4;

#[derive(Debug, Error)]
pub enum BusError {
    /// No bus to talk to: no address, nothing listening, authentication
    /// refused.
    #[error("{0}")]
    NoBus(String),
    /// The connection broke, or the bus stopped answering.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The peer answered with a D-Bus error.
    #[error("{name}: {message}")]
    Method { name: String, message: String },
    /// Bytes that are not what D-Bus or the method promised.
    #[error("{0}")]
    Protocol(String),
    /// Nothing came before the deadline.
    #[error("no answer within {} s", .0.as_secs())]
    Timeout(Duration),
}

impl From<zvariant::Error> for BusError {
    fn from(err: zvariant::Error) -> Self {
        Self::Protocol(format!("a malformed D-Bus message: {err}"))
    }
}

/// Where a method call goes.
#[derive(Clone, Copy, Debug)]
pub struct Call<'a> {
    pub destination: &'a str,
    pub path: &'a str,
    pub interface: &'a str,
    pub member: &'a str,
}

/// One message read from the bus.
#[derive(Debug)]
pub struct Message {
    kind: u8,
    reply_serial: Option<u32>,
    path: Option<String>,
    interface: Option<String>,
    member: Option<String>,
    error_name: Option<String>,
    sender: Option<String>,
    signature: String,
    body: Data<'static, 'static>,
}

impl Message {
    /// The unique name of the connection that sent it.
    pub fn sender(&self) -> Option<&str> {
        self.sender.as_deref()
    }

    /// A signal of this interface and member, sent from `path`.
    pub fn is_signal(&self, path: &str, interface: &str, member: &str) -> bool {
        self.kind == SIGNAL
            && self.path.as_deref() == Some(path)
            && self.interface.as_deref() == Some(interface)
            && self.member.as_deref() == Some(member)
    }

    /// The body as `R`, which must be the type the message says it carries
    /// (a tuple for several values).
    pub fn body<R: DeserializeOwned + Type>(&self) -> Result<R, BusError> {
        let expected = R::SIGNATURE.to_string_no_parens();
        if expected != self.signature {
            return Err(BusError::Protocol(format!(
                "a D-Bus answer of type '{}' where '{expected}' was expected",
                self.signature
            )));
        }
        Ok(self.body.deserialize::<R>()?.0)
    }

    /// The text of an error reply (its first argument, when it is one).
    fn error_text(&self) -> String {
        self.body
            .deserialize_for_signature::<_, String>("s")
            .map(|(text, _)| text)
            .unwrap_or_default()
    }
}

/// A connection to the session bus.
pub struct Bus {
    socket: BufReader<UnixStream>,
    deadline: Deadline,
    /// `OK` from the bus's authentication is still to be read: it was sent
    /// on together with the first call, as sd-bus does.
    auth_pending: bool,
    next_serial: u32,
    /// Replies read while waiting for another.
    replies: HashMap<u32, Message>,
    /// Signals read since the first match rule was added.
    signals: VecDeque<Message>,
    watching: bool,
}

impl Bus {
    /// Connects to the session bus, authenticates and says Hello. Only the
    /// sending is done here: the answers are read with the first reply, so
    /// the caller's own work overlaps the bus's.
    pub fn session(deadline: Deadline) -> Result<Self, BusError> {
        let stream = connect_session()?;
        // Backstops: reads wait for the deadline in `wait_readable`, and a
        // message is far smaller than the socket's buffer, so a write that
        // waits means the bus is frozen.
        let left = deadline
            .end
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(1));
        stream.set_read_timeout(Some(left))?;
        stream.set_write_timeout(Some(left))?;
        let mut bus = Self {
            socket: BufReader::new(stream),
            deadline,
            auth_pending: true,
            next_serial: 1,
            replies: HashMap::new(),
            signals: VecDeque::new(),
            watching: false,
        };
        // SASL EXTERNAL: the bus checks our uid against the socket's
        // credentials. The uid goes as hex-encoded decimal text.
        let uid: String = current_uid()
            .to_string()
            .bytes()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        let mut opening = format!("\0AUTH EXTERNAL {uid}\r\nBEGIN\r\n").into_bytes();
        let hello = Call {
            destination: BUS_NAME,
            path: BUS_PATH,
            interface: BUS_NAME,
            member: "Hello",
        };
        let (_serial, message) = bus.encode(&hello, &())?;
        opening.extend_from_slice(&message);
        bus.socket.get_ref().write_all(&opening)?;
        Ok(bus)
    }

    /// Sends a method call without waiting; the serial finds its reply.
    pub fn send<B>(&mut self, call: &Call<'_>, body: &B) -> Result<u32, BusError>
    where
        B: Serialize + DynamicType,
    {
        let (serial, message) = self.encode(call, body)?;
        self.socket.get_ref().write_all(&message)?;
        Ok(serial)
    }

    /// Waits for the reply to the call `serial`. An error reply is
    /// [`BusError::Method`].
    pub fn reply(&mut self, serial: u32) -> Result<Message, BusError> {
        let message = match self.replies.remove(&serial) {
            Some(message) => message,
            None => loop {
                let message = self.read()?;
                if message.reply_serial == Some(serial) {
                    break message;
                }
                self.keep(message);
            },
        };
        if message.kind == ERROR {
            return Err(BusError::Method {
                name: message.error_name.clone().unwrap_or_default(),
                message: message.error_text(),
            });
        }
        Ok(message)
    }

    /// Sends a call and waits for its reply.
    pub fn call<B, R>(&mut self, call: &Call<'_>, body: &B) -> Result<R, BusError>
    where
        B: Serialize + DynamicType,
        R: DeserializeOwned + Type,
    {
        let serial = self.send(call, body)?;
        self.reply(serial)?.body()
    }

    /// Asks the bus to route us the signals `rule` matches; from now on
    /// every signal is kept for [`Bus::signal`].
    pub fn add_match(&mut self, rule: &str) -> Result<(), BusError> {
        self.watching = true;
        let call = Call {
            destination: BUS_NAME,
            path: BUS_PATH,
            interface: BUS_NAME,
            member: "AddMatch",
        };
        let serial = self.send(&call, &(rule,))?;
        self.reply(serial).map(drop)
    }

    /// Waits for the first signal that `wanted` accepts.
    pub fn signal(&mut self, wanted: impl Fn(&Message) -> bool) -> Result<Message, BusError> {
        if let Some(index) = self.signals.iter().position(&wanted)
            && let Some(message) = self.signals.remove(index)
        {
            return Ok(message);
        }
        loop {
            let message = self.read()?;
            if message.kind == SIGNAL && wanted(&message) {
                return Ok(message);
            }
            self.keep(message);
        }
    }

    /// Keeps a message read while waiting for another: a reply for its
    /// call, a signal once a match rule asked for signals. Calls to us, and
    /// signals nobody asked for, are dropped.
    fn keep(&mut self, message: Message) {
        match message.reply_serial {
            Some(answered) => {
                self.replies.insert(answered, message);
            }
            None if message.kind == SIGNAL && self.watching => self.signals.push_back(message),
            None => {}
        }
    }

    fn encode<B>(&mut self, call: &Call<'_>, body: &B) -> Result<(u32, Vec<u8>), BusError>
    where
        B: Serialize + DynamicType,
    {
        let serial = self.next_serial;
        self.next_serial = self.next_serial.wrapping_add(1).max(1);
        let context = Context::new_dbus(Endian::Little, 0);
        let body_bytes = zvariant::to_bytes(context, body)?;
        let signature = body.signature().to_string_no_parens();
        ObjectPath::try_from(call.path)
            .map_err(|_| BusError::Protocol(format!("'{}' is no D-Bus object path", call.path)))?;
        let mut fields = vec![
            (1u8, Field::new(Signature::ObjectPath, call.path)),
            (2, Field::new(Signature::Str, call.interface)),
            (3, Field::new(Signature::Str, call.member)),
            (6, Field::new(Signature::Str, call.destination)),
        ];
        if !signature.is_empty() {
            fields.push((8, Field::new(Signature::Signature, &signature)));
        }
        let body_len = u32::try_from(body_bytes.len())
            .map_err(|_| BusError::Protocol("a D-Bus message too long to send".into()))?;
        let header = (b'l', METHOD_CALL, 0u8, 1u8, body_len, serial, fields);
        let mut message = zvariant::to_bytes(context, &header)?.to_vec();
        message.resize(message.len().next_multiple_of(8), 0);
        message.extend_from_slice(&body_bytes);
        Ok((serial, message))
    }

    /// Waits until bytes can be read, or the deadline passes; says once
    /// that it waits when the notice is due. Reads themselves then wait at
    /// most until the deadline.
    fn wait_readable(&mut self) -> Result<(), BusError> {
        use std::os::fd::AsRawFd as _;
        if !self.socket.buffer().is_empty() {
            return Ok(());
        }
        loop {
            let now = Instant::now();
            let notice_at = self.deadline.notice.as_ref().map(|(at, _)| *at);
            let until = notice_at
                .filter(|at| *at < self.deadline.end)
                .unwrap_or(self.deadline.end);
            if until <= now {
                if until == self.deadline.end {
                    return Err(BusError::Timeout(self.deadline.limit()));
                }
                if let Some((_, say)) = self.deadline.notice.take() {
                    say();
                }
                continue;
            }
            let mut poll = libc::pollfd {
                fd: self.socket.get_ref().as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            let millis = (until - now).as_millis().clamp(1, i32::MAX as u128) as i32;
            // SAFETY: one valid pollfd, counted as one; no other memory.
            let ready = unsafe { libc::poll(&mut poll, 1, millis) };
            if ready > 0 {
                // Readable, closed or failed: the read says which.
                let left = self.deadline.end.saturating_duration_since(Instant::now());
                self.socket
                    .get_ref()
                    .set_read_timeout(Some(left.max(Duration::from_millis(1))))?;
                return Ok(());
            }
            if ready < 0 {
                let err = io::Error::last_os_error();
                if err.kind() != io::ErrorKind::Interrupted {
                    return Err(BusError::Io(err));
                }
            }
        }
    }

    fn read(&mut self) -> Result<Message, BusError> {
        self.wait_readable()?;
        if self.auth_pending {
            self.read_auth_answer()?;
            self.wait_readable()?;
        }
        let mut fixed = [0u8; 16];
        self.socket.read_exact(&mut fixed).map_err(closed)?;
        let endian = match fixed[0] {
            b'l' => Endian::Little,
            b'B' => Endian::Big,
            other => {
                return Err(BusError::Protocol(format!(
                    "a D-Bus message starting with byte {other}"
                )));
            }
        };
        let u32_at = |at: usize| {
            let bytes = [fixed[at], fixed[at + 1], fixed[at + 2], fixed[at + 3]];
            match endian {
                Endian::Little => u32::from_le_bytes(bytes),
                Endian::Big => u32::from_be_bytes(bytes),
            }
        };
        let (body_len, fields_len) = (u32_at(4) as usize, u32_at(12) as usize);
        let header_len = fields_len
            .checked_add(16)
            .map(|len| len.next_multiple_of(8))
            .filter(|len| *len <= MAX_MESSAGE);
        let Some(header_len) = header_len.filter(|len| body_len <= MAX_MESSAGE - len) else {
            return Err(BusError::Protocol(
                "a D-Bus message larger than 16 MiB".into(),
            ));
        };
        let mut bytes = vec![0u8; header_len + body_len];
        bytes[..16].copy_from_slice(&fixed);
        self.socket.read_exact(&mut bytes[16..]).map_err(closed)?;
        let body = Data::new(bytes.split_off(header_len), Context::new_dbus(endian, 0));
        let header = Data::new(bytes, Context::new_dbus(endian, 0));
        type Header = (u8, u8, u8, u8, u32, u32, Vec<(u8, OwnedValue)>);
        let ((_, kind, _flags, _version, _len, _serial, fields), _): (Header, usize) =
            header.deserialize()?;
        let mut message = Message {
            kind,
            reply_serial: None,
            path: None,
            interface: None,
            member: None,
            error_name: None,
            sender: None,
            signature: String::new(),
            body,
        };
        for (code, value) in fields {
            match (code, &*value) {
                (1, Value::ObjectPath(path)) => message.path = Some(path.to_string()),
                (2, Value::Str(text)) => message.interface = Some(text.to_string()),
                (3, Value::Str(text)) => message.member = Some(text.to_string()),
                (4, Value::Str(text)) => message.error_name = Some(text.to_string()),
                (5, Value::U32(serial)) => message.reply_serial = Some(*serial),
                (7, Value::Str(text)) => message.sender = Some(text.to_string()),
                (8, Value::Signature(signature)) => {
                    message.signature = signature.to_string_no_parens();
                }
                _ => {}
            }
        }
        if !matches!(message.kind, METHOD_RETURN | ERROR) {
            message.reply_serial = None;
        }
        Ok(message)
    }

    /// The bus's answer to `AUTH EXTERNAL`: `OK <guid>`, or why not.
    fn read_auth_answer(&mut self) -> Result<(), BusError> {
        let mut line = Vec::new();
        (&mut self.socket)
            .take(LINE_LIMIT)
            .read_until(b'\n', &mut line)
            .map_err(closed)?;
        if !line.starts_with(b"OK ") {
            let said = String::from_utf8_lossy(&line).trim().to_string();
            return Err(BusError::NoBus(if said.is_empty() {
                "the session bus closed the connection during authentication".into()
            } else {
                format!("the session bus refused authentication ({said})")
            }));
        }
        self.auth_pending = false;
        Ok(())
    }
}

/// A header field: a variant holding a path, string or signature. Not
/// zvariant's `Value`, which writes a body signature of several values with
/// the parentheses of a structure, where D-Bus wants none (zbus has the
/// same wrapper).
#[derive(Type)]
#[zvariant(signature = "v")]
struct Field<'a> {
    kind: Signature,
    text: &'a str,
}

impl<'a> Field<'a> {
    fn new(kind: Signature, text: &'a str) -> Self {
        Self { kind, text }
    }
}

impl Serialize for Field<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut variant = serializer.serialize_struct("Variant", 2)?;
        variant.serialize_field("signature", &self.kind)?;
        variant.serialize_field("value", self.text)?;
        variant.end()
    }
}

/// End of stream in the middle of a message: the peer went away.
fn closed(err: io::Error) -> BusError {
    if matches!(
        err.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    ) {
        BusError::Io(io::Error::new(
            io::ErrorKind::TimedOut,
            "the session bus stopped in the middle of a message",
        ))
    } else if err.kind() == io::ErrorKind::UnexpectedEof {
        BusError::Io(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the session bus closed the connection",
        ))
    } else {
        BusError::Io(err)
    }
}

fn current_uid() -> u32 {
    // SAFETY: getuid has no preconditions and cannot fail.
    unsafe { libc::getuid() }
}

/// The session bus socket: `DBUS_SESSION_BUS_ADDRESS` (its `unix:path=` and
/// `unix:abstract=` entries, tried in order), else `$XDG_RUNTIME_DIR/bus`
/// as sd-bus and zbus look for it.
fn connect_session() -> Result<UnixStream, BusError> {
    let Some(address) = std::env::var_os("DBUS_SESSION_BUS_ADDRESS") else {
        let runtime = std::env::var_os("XDG_RUNTIME_DIR").ok_or_else(|| {
            BusError::NoBus("neither DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR is set".into())
        })?;
        let path = PathBuf::from(runtime).join("bus");
        return UnixStream::connect(&path).map_err(|err| {
            BusError::NoBus(format!(
                "DBUS_SESSION_BUS_ADDRESS is not set, and {} does not answer: {err}",
                path.display()
            ))
        });
    };
    let address = address.to_string_lossy();
    let mut last = None;
    for entry in address.split(';').filter(|entry| !entry.is_empty()) {
        match connect_to(entry) {
            Ok(stream) => return Ok(stream),
            Err(err) => last = Some(err),
        }
    }
    Err(last.unwrap_or_else(|| BusError::NoBus("DBUS_SESSION_BUS_ADDRESS is empty".into())))
}

fn connect_to(entry: &str) -> Result<UnixStream, BusError> {
    let Some(keys) = entry.strip_prefix("unix:") else {
        return Err(BusError::NoBus(format!(
            "the session bus address '{entry}' is not a unix: address, which is all crmauth speaks"
        )));
    };
    let keys: HashMap<&str, String> = keys
        .split(',')
        .filter_map(|pair| pair.split_once('='))
        .map(|(key, value)| (key, unescape(value)))
        .collect();
    let connected = if let Some(path) = keys.get("path") {
        UnixStream::connect(path)
    } else if let Some(name) = keys.get("abstract") {
        connect_abstract(name)
    } else {
        return Err(BusError::NoBus(format!(
            "the session bus address '{entry}' names no socket (path= or abstract=)"
        )));
    };
    connected.map_err(|err| BusError::NoBus(format!("the session bus at '{entry}': {err}")))
}

#[cfg(target_os = "linux")]
fn connect_abstract(name: &str) -> io::Result<UnixStream> {
    use std::os::linux::net::SocketAddrExt as _;
    let address = std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes())?;
    UnixStream::connect_addr(&address)
}

#[cfg(not(target_os = "linux"))]
fn connect_abstract(_name: &str) -> io::Result<UnixStream> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "abstract sockets exist only on Linux",
    ))
}

/// D-Bus addresses escape bytes as `%XX`.
fn unescape(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let escaped = (bytes[at] == b'%')
            .then(|| value.get(at + 1..at + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                at += 3;
            }
            None => {
                out.push(bytes[at]);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_unescape_percent_hex() {
        assert_eq!(unescape("/tmp/dbus%2dabc"), "/tmp/dbus-abc");
        assert_eq!(unescape("/run/user/1000/bus"), "/run/user/1000/bus");
        assert_eq!(unescape("100%"), "100%");
        assert_eq!(unescape("%zz"), "%zz");
    }

    #[test]
    fn an_address_that_is_not_unix_is_refused_by_name() {
        let err = connect_to("tcp:host=127.0.0.1,port=1")
            .err()
            .map(|e| e.to_string());
        assert!(
            err.as_deref().is_some_and(|text| text.contains("tcp:host")),
            "{err:?}"
        );
    }

    /// A message built by `encode` reads back as the same call: framing,
    /// header fields and body agree with the wire format.
    #[test]
    fn an_encoded_call_reads_back() {
        let (ours, theirs) = UnixStream::pair().expect("socket pair");
        let mut sender = Bus {
            socket: BufReader::new(ours),
            deadline: Deadline::after(Duration::from_secs(5)),
            auth_pending: false,
            next_serial: 7,
            replies: HashMap::new(),
            signals: VecDeque::new(),
            watching: false,
        };
        let call = Call {
            destination: "org.freedesktop.secrets",
            path: "/org/freedesktop/secrets",
            interface: "org.freedesktop.Secret.Service",
            member: "SearchItems",
        };
        let attributes = HashMap::from([("service", "crmauth"), ("username", "default")]);
        sender.send(&call, &(&attributes,)).expect("send");
        let mut receiver = Bus {
            socket: BufReader::new(theirs),
            deadline: Deadline::after(Duration::from_secs(5)),
            ..sender
        };
        let message = receiver.read().expect("read");
        assert_eq!(message.kind, METHOD_CALL);
        assert_eq!(message.member.as_deref(), Some("SearchItems"));
        assert_eq!(message.path.as_deref(), Some("/org/freedesktop/secrets"));
        assert_eq!(message.signature, "a{ss}");
        let (read,): (HashMap<String, String>,) = message.body().expect("body");
        assert_eq!(read.get("username").map(String::as_str), Some("default"));
        let wrong: Result<(Vec<u8>,), _> = message.body();
        assert!(matches!(wrong, Err(BusError::Protocol(_))));
    }
}
