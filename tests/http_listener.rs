//! The operators' HTTP listener under slow and hostile clients, with raw TCP connections:
//! half-sent requests are dropped after the header timeout, connections over the cap are
//! closed at once, oversized headers and declared bodies are refused, and /healthz answers
//! again as soon as the slow clients are gone.

mod common;

use std::time::{Duration, Instant};

use partnerdesk::daemon::http::{self, HttpState, HEADER_READ_TIMEOUT, MAX_CONNECTIONS};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_util::sync::CancellationToken;

async fn start() -> (
    std::net::SocketAddr,
    CancellationToken,
    common::StoreFixture,
) {
    let fixture = common::StoreFixture::sqlite().await;
    let listener = http::bind("127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let shutdown = CancellationToken::new();
    let state = HttpState::new(fixture.store.clone());
    tokio::spawn(http::serve(listener, state, shutdown.clone()));
    (addr, shutdown, fixture)
}

/// Sends `request` on a new connection and returns the status line (empty if closed).
async fn status_line(addr: std::net::SocketAddr, request: &[u8]) -> String {
    let Ok(mut stream) = TcpStream::connect(addr).await else {
        return String::new();
    };
    if stream.write_all(request).await.is_err() {
        return String::new();
    }
    let mut buffer = vec![0u8; 4096];
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buffer)).await;
    match read {
        Ok(Ok(n)) => String::from_utf8_lossy(&buffer[..n])
            .lines()
            .next()
            .unwrap_or_default()
            .to_string(),
        _ => String::new(),
    }
}

/// Whether the server closed `stream` (EOF or reset) within `within`.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut buffer = [0u8; 1024];
    loop {
        match tokio::time::timeout(within, stream.read(&mut buffer)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            // A 408 or similar before the close is fine; keep reading to the close.
            Ok(Ok(_)) => continue,
        }
    }
}

const HEALTHZ: &[u8] = b"GET /healthz HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_requests_cannot_exhaust_the_listener() {
    let (addr, shutdown, fixture) = start().await;
    assert!(status_line(addr, HEALTHZ).await.contains("200"));

    // Many clients that send half a request and then nothing.
    let slow_clients = 2_000;
    let mut held = Vec::with_capacity(slow_clients);
    for _ in 0..slow_clients {
        if let Ok(mut stream) = TcpStream::connect(addr).await {
            let _ = stream
                .write_all(b"GET /healthz HTTP/1.1\r\nHost: slow\r\nX-Wait: ")
                .await;
            held.push(stream);
        }
    }
    assert!(held.len() > MAX_CONNECTIONS * 2, "{} connected", held.len());
    let started = Instant::now();

    // Over the cap: the last ones were closed at once, long before any timeout.
    let mut over_cap_closed = 0;
    for stream in held.iter_mut().rev().take(50) {
        if closed_within(stream, Duration::from_millis(500)).await {
            over_cap_closed += 1;
        }
    }
    assert!(
        over_cap_closed >= 45,
        "{over_cap_closed} of the last 50 closed at once"
    );

    // The ones inside the cap are dropped after the header timeout, not held for ever.
    let first = held.first_mut().expect("one");
    assert!(
        closed_within(first, HEADER_READ_TIMEOUT + Duration::from_secs(3)).await,
        "a half-sent request is still open after {:?}",
        started.elapsed()
    );

    // And then the listener answers again, while the slow clients still hold their sockets.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let status = status_line(addr, HEALTHZ).await;
    assert!(status.contains("200"), "after the slow clients: {status:?}");
    drop(held);
    shutdown.cancel();
    fixture.finish().await;
}

#[tokio::test]
async fn oversized_headers_and_bodies_are_refused() {
    let (addr, shutdown, fixture) = start().await;
    let huge_header = format!(
        "GET /healthz HTTP/1.1\r\nHost: test\r\nX-Big: {}\r\n\r\n",
        "a".repeat(64 * 1024)
    );
    let status = status_line(addr, huge_header.as_bytes()).await;
    assert!(
        status.is_empty() || status.contains("431") || status.contains("400"),
        "{status:?}"
    );
    let big_body = b"POST /healthz HTTP/1.1\r\nHost: test\r\nContent-Length: 1000000000\r\n\r\nabc";
    let status = status_line(addr, big_body).await;
    assert!(status.contains("413"), "{status:?}");
    // A request that is fine is still answered.
    assert!(status_line(addr, HEALTHZ).await.contains("200"));
    shutdown.cancel();
    fixture.finish().await;
}
