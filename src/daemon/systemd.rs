//! The systemd readiness protocol (`Type=notify`): `READY=1` once the store is migrated and the
//! listener bound, `STOPPING=1` when a stop begins. A datagram to `$NOTIFY_SOCKET`; without that
//! variable (not under systemd) nothing happens. No dependency: the protocol is one line.

/// Tells systemd `state` (e.g. `READY=1`); returns whether a notify socket was there to tell.
pub fn notify(state: &str) -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::linux::net::SocketAddrExt;
        use std::os::unix::net::{SocketAddr, UnixDatagram};

        let Some(path) = std::env::var_os("NOTIFY_SOCKET") else {
            return false;
        };
        let path = path.to_string_lossy().into_owned();
        // A leading '@' names an abstract socket.
        let address = match path.strip_prefix('@') {
            Some(name) => SocketAddr::from_abstract_name(name.as_bytes()),
            None => SocketAddr::from_pathname(&path),
        };
        let sent = address.and_then(|address| {
            let socket = UnixDatagram::unbound()?;
            socket.send_to_addr(state.as_bytes(), &address)
        });
        match sent {
            Ok(_) => true,
            Err(e) => {
                tracing::warn!(error = %e, socket = %path, "cannot notify systemd");
                false
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = state;
        false
    }
}
