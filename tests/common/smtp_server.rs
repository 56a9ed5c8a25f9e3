//! An SMTP server of the tests' own, for faults smtp-sink cannot script: each message's reply
//! to the end of data is taken from a queue (accept, a 4xx/5xx reply, a dropped connection,
//! a stall before the reply), and the whole server can go down and come back on its port.
//! It records every message it accepted (the 250 it sent), so tests count losses and repeats.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// What the server does when a message's final "." arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndOfData {
    /// `250 queued`.
    Accept,
    /// This reply (`451 4.3.0 try later`, `550 5.1.1 no such user`).
    Reply(String),
    /// Closes the connection without a reply, after keeping the message (as a server that
    /// queued it and then lost the connection would): the sender cannot know it arrived.
    Drop,
    /// Waits this long, then accepts.
    Stall(Duration),
}

#[derive(Default)]
struct State {
    /// Replies for the next messages, in order; `default` once empty.
    script: VecDeque<EndOfData>,
    default: Option<EndOfData>,
    /// Every message answered 250, as received (headers and body).
    accepted: Vec<String>,
    /// Messages whose end of data arrived, whatever the reply.
    received: usize,
}

/// The server; dropping it stops it.
pub struct ScriptedSmtp {
    pub port: u16,
    state: Arc<Mutex<State>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl ScriptedSmtp {
    pub async fn start() -> ScriptedSmtp {
        let mut server = ScriptedSmtp {
            port: super::net::free_port(),
            state: Arc::new(Mutex::new(State::default())),
            task: None,
        };
        server.up().await;
        server
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Queues the replies for the next messages.
    pub fn script(&self, replies: impl IntoIterator<Item = EndOfData>) {
        self.lock().script.extend(replies);
    }

    /// The reply once the script is used up (`Accept` unless set).
    pub fn set_default(&self, reply: EndOfData) {
        self.lock().default = Some(reply);
    }

    /// Every message the server answered 250.
    pub fn accepted(&self) -> Vec<String> {
        self.lock().accepted.clone()
    }

    pub fn accepted_count(&self) -> usize {
        self.lock().accepted.len()
    }

    pub fn received_count(&self) -> usize {
        self.lock().received
    }

    /// Stops listening and closes every connection: the server is down.
    pub fn down(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }

    /// Listens again on the same port.
    pub async fn up(&mut self) {
        self.down();
        let listener = loop {
            // The port of the aborted listener is free again at once, but give it a moment.
            match TcpListener::bind(("127.0.0.1", self.port)).await {
                Ok(l) => break l,
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        };
        let state = self.state.clone();
        self.task = Some(tokio::spawn(async move {
            let mut sessions = JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                let state = state.clone();
                sessions.spawn(async move {
                    let _ = session(stream, state).await;
                });
            }
        }));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for ScriptedSmtp {
    fn drop(&mut self) {
        self.down();
    }
}

async fn session(stream: TcpStream, state: Arc<Mutex<State>>) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 scripted ESMTP\r\n").await?;
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let verb = line.trim_end().to_ascii_uppercase();
        let reply: &[u8] = if verb.starts_with("EHLO") {
            b"250-scripted\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 10485760\r\n"
        } else if verb.starts_with("HELO")
            || verb.starts_with("MAIL")
            || verb.starts_with("RCPT")
            || verb.starts_with("RSET")
            || verb.starts_with("NOOP")
        {
            b"250 ok\r\n"
        } else if verb.starts_with("QUIT") {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else if verb == "DATA" {
            write.write_all(b"354 go ahead\r\n").await?;
            let mut message = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                message.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            let action = {
                let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
                s.received += 1;
                s.script
                    .pop_front()
                    .or_else(|| s.default.clone())
                    .unwrap_or(EndOfData::Accept)
            };
            let accept = |state: &Arc<Mutex<State>>, message: String| {
                state
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .accepted
                    .push(message);
            };
            match action {
                EndOfData::Accept => {
                    accept(&state, message);
                    write.write_all(b"250 2.0.0 queued\r\n").await?;
                }
                EndOfData::Reply(text) => {
                    write.write_all(format!("{text}\r\n").as_bytes()).await?;
                }
                EndOfData::Drop => {
                    accept(&state, message);
                    return Ok(());
                }
                EndOfData::Stall(wait) => {
                    tokio::time::sleep(wait).await;
                    accept(&state, message);
                    write.write_all(b"250 2.0.0 queued\r\n").await?;
                }
            }
            continue;
        } else {
            b"502 5.5.2 not implemented\r\n"
        };
        write.write_all(reply).await?;
    }
}

/// The `Message-ID:` header of each message.
pub fn message_ids(messages: &[String]) -> Vec<String> {
    messages
        .iter()
        .filter_map(|m| {
            m.lines()
                .find(|l| l.to_ascii_lowercase().starts_with("message-id:"))
                .map(|l| l.trim().to_string())
        })
        .collect()
}
