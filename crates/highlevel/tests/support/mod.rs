//! A recording HTTP/1.1 server on 127.0.0.1 for the client tests: it answers every request
//! with the next canned response and keeps what it received, so a test can assert exactly
//! what went over the socket.

#![allow(
    dead_code,
    reason = "each test crate uses its own part of this shared module"
)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// One request as the server saw it. Header names are lowercase.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Shared {
    answers: VecDeque<(u16, String, Option<String>)>,
    seen: Vec<Recorded>,
}

/// The server; it stops when the test's runtime ends.
pub struct Server {
    pub url: String,
    shared: Arc<Mutex<Shared>>,
}

impl Server {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let shared = Arc::new(Mutex::new(Shared::default()));

        let accepted = shared.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, accepted.clone()));
            }
        });
        Self { url, shared }
    }

    /// Queues the answer to the next request; without one the server answers `200 {}`.
    pub fn answer(&self, status: u16, body: &str) {
        let answer = (status, body.to_owned(), None);
        self.shared.lock().unwrap().answers.push_back(answer);
    }

    /// Queues a redirect to `location` as the answer to the next request.
    pub fn redirect(&self, location: &str) {
        let answer = (302, String::new(), Some(location.to_owned()));
        self.shared.lock().unwrap().answers.push_back(answer);
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.lock().unwrap().seen.clone()
    }

    /// The only request received so far.
    pub fn single(&self) -> Recorded {
        let seen = self.requests();
        assert_eq!(seen.len(), 1, "expected one request, got {seen:#?}");
        seen.into_iter().next().unwrap()
    }
}

async fn serve(stream: TcpStream, shared: Arc<Mutex<Shared>>) {
    let mut stream = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if stream.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_owned();
        let target = parts.next().unwrap_or_default().to_owned();

        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            stream.read_line(&mut line).await.expect("header line");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').expect("header has a colon");
            headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
        }

        let length = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .map_or(0, |(_, v)| v.parse().expect("numeric content-length"));
        let mut body = vec![0; length];
        stream.read_exact(&mut body).await.expect("request body");
        let body = String::from_utf8(body).expect("UTF-8 body");

        let (status, answer, location) = {
            let mut shared = shared.lock().unwrap();
            shared.seen.push(Recorded {
                method,
                target,
                headers,
                body,
            });
            shared
                .answers
                .pop_front()
                .unwrap_or((200, "{}".to_owned(), None))
        };
        let location = location
            .map(|l| format!("location: {l}\r\n"))
            .unwrap_or_default();
        let head = format!(
            "HTTP/1.1 {status} X\r\n{location}content-type: application/json\r\n\
             content-length: {}\r\n\r\n",
            answer.len()
        );
        let sent = stream
            .get_mut()
            .write_all((head + &answer).as_bytes())
            .await;
        if sent.is_err() {
            return;
        }
    }
}
