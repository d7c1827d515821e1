//! How long a keyring (or session bus) call may take, and the one line said
//! to a person when it is still waiting after a while.

use std::time::{Duration, Instant};

pub struct Deadline {
    pub started: Instant,
    pub end: Instant,
    /// When to say that we are waiting, and the saying; taken when done.
    pub notice: Option<(Instant, Box<dyn FnOnce() + Send>)>,
}

impl Deadline {
    pub fn after(limit: Duration) -> Self {
        let started = Instant::now();
        Self {
            started,
            end: started + limit,
            notice: None,
        }
    }

    /// How long it allowed in all.
    pub fn limit(&self) -> Duration {
        self.end - self.started
    }
}
