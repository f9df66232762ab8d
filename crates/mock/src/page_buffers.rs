//! Page buffers reused from one response to the next.
//!
//! A page of 100 jobs is written into a buffer of about 38 KiB. Allocating it afresh for every
//! request costs a `malloc` that first merges the small blocks freed since the last one, and a
//! `free` once the response is sent. Here the buffer goes back to a pool instead, when hyper
//! (or whoever holds the response) drops the body, and the next page is written into it.

use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;

/// Buffers the pool keeps at most; any more in flight at once are freed when dropped.
const KEPT: usize = 64;

/// A buffer that grew larger than this (a page of unusually long jobs) is freed, not kept.
const LARGEST_KEPT: usize = 1 << 20;

/// A pool of page buffers, shared by the clones of one handler.
#[derive(Debug, Default)]
pub struct PageBuffers {
    free: Mutex<Vec<Vec<u8>>>,
}

impl PageBuffers {
    fn free(&self) -> MutexGuard<'_, Vec<Vec<u8>>> {
        // The list holds plain buffers: a panic elsewhere cannot leave it inconsistent.
        self.free.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// An empty buffer: one given back earlier when there is one, else a new one.
    pub fn take(&self) -> Vec<u8> {
        self.free().pop().unwrap_or_default()
    }

    /// Buffers waiting to be taken.
    pub fn kept(&self) -> usize {
        self.free().len()
    }

    /// `buffer` as response bytes that give the buffer back to `pool` when the last clone of
    /// them is dropped.
    pub fn bytes(pool: &Arc<PageBuffers>, buffer: Vec<u8>) -> Bytes {
        Bytes::from_owner(Lent {
            buffer,
            pool: Arc::clone(pool),
        })
    }
}

/// A buffer lent out as response bytes.
struct Lent {
    buffer: Vec<u8>,
    pool: Arc<PageBuffers>,
}

impl AsRef<[u8]> for Lent {
    fn as_ref(&self) -> &[u8] {
        &self.buffer
    }
}

impl Drop for Lent {
    fn drop(&mut self) {
        if self.buffer.capacity() > LARGEST_KEPT {
            return;
        }
        let mut buffer = std::mem::take(&mut self.buffer);
        buffer.clear();
        let mut free = self.pool.free();
        if free.len() < KEPT {
            free.push(buffer);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_page_gives_its_buffer_back() {
        let pool = Arc::new(PageBuffers::default());
        let mut buffer = pool.take();
        buffer.extend_from_slice(b"{\"batchSegmentJobs\":[]}");
        let address = buffer.as_ptr();
        let bytes = PageBuffers::bytes(&pool, buffer);
        let clone = bytes.clone();
        assert_eq!(&bytes[..], b"{\"batchSegmentJobs\":[]}");
        drop(bytes);
        assert_eq!(pool.kept(), 0, "a clone still holds the page");
        drop(clone);
        assert_eq!(pool.kept(), 1);
        let again = pool.take();
        assert!(again.is_empty());
        assert_eq!(again.as_ptr(), address);
    }

    #[test]
    fn keeps_a_bounded_number_of_ordinary_buffers() {
        let pool = Arc::new(PageBuffers::default());
        let pages: Vec<Bytes> = (0..KEPT + 10)
            .map(|_| PageBuffers::bytes(&pool, vec![b'x'; 100]))
            .collect();
        drop(pages);
        assert_eq!(pool.kept(), KEPT);
        let pool = Arc::new(PageBuffers::default());
        drop(PageBuffers::bytes(
            &pool,
            Vec::with_capacity(LARGEST_KEPT + 1),
        ));
        assert_eq!(pool.kept(), 0, "an outsized buffer is freed");
    }
}
