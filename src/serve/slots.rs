//! The cap on connections served at once, and which one gives way when
//! the cap is reached.
//!
//! Every connection has a thread, so [`Slots`] admits at most a fixed
//! number of them. A connection waiting for a request (just opened, idle
//! between keep-alive requests, or trickling a head in) holds its thread
//! while doing nothing; when every slot is taken, the one that has waited
//! longest is shut down to make room for the new one. Closing an idle
//! keep-alive connection is ordinary HTTP (RFC 9112 §9.6: clients retry on
//! a new one). Connections being answered and live-reload sockets never
//! give way; if every slot holds one of those, the new connection is closed.
//!
//! Issue 13 (case 8): the table used to close the *new* connection when
//! full, so 256 silent sockets turned every request into an empty reply
//! until their 10 s head deadline ran out.

use std::net::{Shutdown, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

/// The connections being served.
pub(super) struct Slots {
    max: usize,
    table: Mutex<Table>,
}

#[derive(Default)]
struct Table {
    next_id: u64,
    open: Vec<Entry>,
}

struct Entry {
    id: u64,
    /// A handle on the socket, to shut it down with; that wakes the thread
    /// blocked reading it, which then ends.
    stream: TcpStream,
    /// Since when it has been waiting for a request; `None` while it is
    /// being answered or carries a live-reload socket.
    waiting_since: Option<Instant>,
}

impl Slots {
    /// Room for `max` connections.
    pub(super) fn new(max: usize) -> Self {
        Self {
            max,
            table: Mutex::default(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Table> {
        // Every update is a push, a removal or one assignment, so a
        // poisoned table is still whole.
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes a slot for a connection just accepted, as waiting for its
    /// first request. When all are taken, the connection that has waited
    /// longest is shut down and its slot given to this one; `None` if none
    /// is waiting (or the socket cannot be cloned).
    ///
    /// The evicted connection's thread ends as soon as its read wakes, so
    /// for a moment there may be a thread or two more than `max`.
    pub(super) fn admit(self: &Arc<Self>, stream: &TcpStream) -> Option<Slot> {
        let handle = stream.try_clone().ok()?;
        let mut table = self.lock();
        if table.open.len() >= self.max {
            let (_, oldest) = table
                .open
                .iter()
                .enumerate()
                .filter_map(|(i, e)| e.waiting_since.map(|since| (since, i)))
                .min()?;
            let evicted = table.open.swap_remove(oldest);
            let _ = evicted.stream.shutdown(Shutdown::Both);
        }
        table.next_id += 1;
        let id = table.next_id;
        table.open.push(Entry {
            id,
            stream: handle,
            waiting_since: Some(Instant::now()),
        });
        Some(Slot {
            slots: Arc::clone(self),
            id,
        })
    }

    /// How many connections hold a slot.
    #[cfg(test)]
    pub(super) fn open(&self) -> usize {
        self.lock().open.len()
    }
}

/// One connection's slot; freed when dropped.
pub(super) struct Slot {
    slots: Arc<Slots>,
    id: u64,
}

impl Slot {
    /// Marks the connection as being answered (or upgraded), so that it no
    /// longer gives way. False if it was evicted first: a request read
    /// just as its socket was shut down goes unanswered, as on any
    /// keep-alive connection closed by the server.
    pub(super) fn answering(&self) -> bool {
        self.set_waiting(None)
    }

    /// Marks the connection as waiting for its next request, from now.
    pub(super) fn waiting(&self) {
        self.set_waiting(Some(Instant::now()));
    }

    fn set_waiting(&self, since: Option<Instant>) -> bool {
        let mut table = self.slots.lock();
        let Some(entry) = table.open.iter_mut().find(|e| e.id == self.id) else {
            return false;
        };
        entry.waiting_since = since;
        true
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.slots.lock().open.retain(|e| e.id != self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::TcpListener;

    /// A connected pair: (server side, client side).
    fn pair(listener: &TcpListener) -> (TcpStream, TcpStream) {
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        (server, client)
    }

    fn closed_by_server(client: &mut TcpStream) -> bool {
        client
            .set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .unwrap();
        matches!(client.read(&mut [0]), Ok(0) | Err(_))
    }

    #[test]
    fn the_longest_waiting_connection_gives_way() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let slots = Arc::new(Slots::new(3));
        let (a, mut a_client) = pair(&listener);
        let (b, _b_client) = pair(&listener);
        let (c, _c_client) = pair(&listener);
        let a_slot = slots.admit(&a).unwrap();
        let b_slot = slots.admit(&b).unwrap();
        let _c_slot = slots.admit(&c).unwrap();
        // `b` is being answered: `a` has waited longest and goes.
        assert!(b_slot.answering());
        let (d, _d_client) = pair(&listener);
        let _d_slot = slots.admit(&d).unwrap();
        assert_eq!(slots.open(), 3);
        assert!(closed_by_server(&mut a_client));
        assert!(!a_slot.answering(), "an evicted slot stays evicted");
        drop(a_slot);
        assert_eq!(slots.open(), 3);
    }

    #[test]
    fn busy_connections_never_give_way() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let slots = Arc::new(Slots::new(2));
        let (a, _a_client) = pair(&listener);
        let (b, _b_client) = pair(&listener);
        let a_slot = slots.admit(&a).unwrap();
        let b_slot = slots.admit(&b).unwrap();
        assert!(a_slot.answering() && b_slot.answering());
        let (c, _c_client) = pair(&listener);
        assert!(slots.admit(&c).is_none());
        // Back to waiting, `a` may give way again; a freed slot is free.
        a_slot.waiting();
        let c_slot = slots.admit(&c);
        assert!(c_slot.is_some());
        drop(b_slot);
        assert_eq!(slots.open(), 1);
    }
}
