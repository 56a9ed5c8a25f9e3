//! What the daemon shows about the Discord gateway connection.
//!
//! This file owns [`GatewayStatus`]: whether the bot's gateway session is connected now, and
//! how many times it was lost. The event handler sets it from serenity's shard stage events;
//! `/metrics` prints it as `partnerdesk_discord_gateway_connected` and
//! `partnerdesk_discord_gateway_disconnects_total`.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

#[derive(Debug, Default)]
pub struct GatewayStatus {
    connected: AtomicBool,
    disconnects: AtomicU64,
    /// A session was established before: a new READY or a RESUMED means one was lost.
    had_session: AtomicBool,
}

impl GatewayStatus {
    /// A session is (again) established: READY (`resumed` false) or RESUMED. Every one after
    /// the first stands for a lost connection, even one lost and regained too fast for a stage
    /// event to show it.
    pub fn session_started(&self, resumed: bool) {
        let had_session = self.had_session.swap(true, Ordering::Relaxed);
        let was_connected = self.connected.swap(true, Ordering::Relaxed);
        if (resumed || had_session) && was_connected {
            self.disconnects.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Records a stage change: connected, or not (a drop counts once, on the way down).
    pub fn set_connected(&self, connected: bool) {
        let was = self.connected.swap(connected, Ordering::Relaxed);
        if was && !connected {
            self.disconnects.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn connected(&self) -> bool {
        self.connected.load(Ordering::Relaxed)
    }

    /// Connections lost since start (each one retried by serenity, or by `Bot::run`).
    pub fn disconnects(&self) -> u64 {
        self.disconnects.load(Ordering::Relaxed)
    }

    /// The Prometheus lines of this status.
    pub fn metrics(&self) -> String {
        format!(
            "# HELP partnerdesk_discord_gateway_connected Whether the Discord gateway session is connected.\n\
             # TYPE partnerdesk_discord_gateway_connected gauge\n\
             partnerdesk_discord_gateway_connected {}\n\
             # HELP partnerdesk_discord_gateway_disconnects_total Discord gateway connections lost since start.\n\
             # TYPE partnerdesk_discord_gateway_disconnects_total counter\n\
             partnerdesk_discord_gateway_disconnects_total {}\n",
            u8::from(self.connected()),
            self.disconnects()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drop_is_counted_once() {
        let status = GatewayStatus::default();
        status.set_connected(false);
        assert_eq!(status.disconnects(), 0);
        status.session_started(false);
        status.set_connected(false);
        status.set_connected(false);
        assert_eq!(status.disconnects(), 1);
        // Regained: not counted again.
        status.session_started(true);
        assert_eq!(status.disconnects(), 1);
        // Lost and resumed with no stage event in between: counted once.
        status.session_started(true);
        assert_eq!(status.disconnects(), 2);
        assert!(status
            .metrics()
            .contains("partnerdesk_discord_gateway_connected 1"));
        assert!(status
            .metrics()
            .contains("partnerdesk_discord_gateway_disconnects_total 2"));
    }
}
