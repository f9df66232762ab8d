//! The client's two views of time, both injectable: the wall clock that dates signatures and
//! the sleep that waits out a backoff between attempts (tests replace both to stay exact).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, SystemTime};

/// Where the signing clock comes from (a fixed instant in tests, the system clock otherwise).
pub trait TimeSource: fmt::Debug + Send + Sync {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// The system clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl TimeSource for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock stopped at one instant (for reproducible signatures).
#[derive(Clone, Copy, Debug)]
pub struct FixedTime(pub SystemTime);

impl TimeSource for FixedTime {
    fn now(&self) -> SystemTime {
        self.0
    }
}

/// A wait in progress, as [`Sleep::sleep`] returns it.
pub type Sleeping = Pin<Box<dyn Future<Output = ()> + Send>>;

/// How the client waits between attempts (tokio's timer, or a recorder in tests).
pub trait Sleep: fmt::Debug + Send + Sync {
    /// A future that completes once `duration` has passed.
    fn sleep(&self, duration: Duration) -> Sleeping;
}

/// Waits on tokio's timer.
#[derive(Clone, Copy, Debug, Default)]
pub struct TokioSleep;

impl Sleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> Sleeping {
        Box::pin(tokio::time::sleep(duration))
    }
}
