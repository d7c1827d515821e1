//! A raw TCP server for answers no HTTP library would send: cut short,
//! malformed, or a proxy's reply.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};

/// A raw TCP server answering every connection with `reply(request_head)`
/// then closing.
pub struct RawServer {
    port: u16,
}

impl RawServer {
    pub fn start(reply: impl Fn(&str) -> Vec<u8> + Send + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let head = read_head(&stream);
                let mut stream = stream;
                let _ = stream.write_all(&reply(&head));
            }
        });
        Self { port }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

pub fn read_head(stream: &TcpStream) -> String {
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    head
}
