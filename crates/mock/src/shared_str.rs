//! Strings held as slices of shared chunks, so that many short strings can live side by side.
//!
//! The store keeps each job's ARN as a [`SharedStr`]. The ARNs of a batch of jobs
//! (`insert_many`) are copied once, in listing order, into a few large chunks ([`Packer`]); a
//! job inserted on its own gets a chunk of its own. A page then reads its ARNs from one run of
//! memory instead of from a hundred scattered heap allocations (cache misses that dominated the
//! cost of a cold page), and each ARN costs its bytes rather than a heap block of its own. A
//! chunk lives as long as one of its strings does.
//!
//! A string may carry a *tail*: text stored right after it in its chunk that is not part of
//! the string (not compared, hashed or shown), read back by an owner that knows its length.
//! The store keeps a job's timestamps there, as a page writes them, next to the ARN a page
//! copies anyway.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

/// Largest chunk [`Packer`] fills before starting another (offsets must fit in `u32`).
const CHUNK_BYTES: usize = 1 << 24;

/// A string slice of a shared chunk; clones share the chunk. Compares, hashes and borrows as
/// the `str` it holds.
///
/// 16 bytes: the chunk is reached through a thin pointer (to the chunk's own pointer and
/// length, which all its strings share), so the B-tree keys that hold one stay small.
#[derive(Clone)]
pub struct SharedStr {
    chunk: Arc<Box<str>>,
    start: u32,
    end: u32,
}

impl SharedStr {
    /// A string in a chunk of its own.
    pub fn new(s: &str) -> Self {
        Self::whole(Arc::new(Box::from(s)))
    }

    /// A string followed by `tail` in a chunk of their own (see [`SharedStr::tail`]).
    pub fn with_tail(s: &str, tail: &str) -> Self {
        let mut packer = Packer::with_capacity(s.len() + tail.len());
        packer.push(s, tail);
        packer.finish().pop().unwrap_or_else(|| SharedStr::new(s))
    }

    /// The string's bytes (without the character-boundary checks of [`SharedStr::as_str`]).
    pub fn as_bytes(&self) -> &[u8] {
        self.chunk
            .as_bytes()
            .get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }

    /// The `len` bytes stored after the string in its chunk: the tail it was packed with, when
    /// `len` is that tail's length (`None` when the chunk ends sooner).
    pub fn tail(&self, len: usize) -> Option<&[u8]> {
        let start = self.end as usize;
        self.chunk.as_bytes().get(start..start.checked_add(len)?)
    }

    /// All of `chunk` (which cannot exceed `u32::MAX` bytes in a chunk of one string here:
    /// longer text is cut off at the last character boundary that fits).
    fn whole(chunk: Arc<Box<str>>) -> Self {
        let mut end = chunk.len().min(u32::MAX as usize);
        while !chunk.is_char_boundary(end) {
            end -= 1;
        }
        SharedStr {
            chunk,
            start: 0,
            end: end as u32,
        }
    }

    /// The string.
    pub fn as_str(&self) -> &str {
        // Offsets are set only by `whole` and `Packer`, on character boundaries within the
        // chunk; `get` keeps this free of panics all the same.
        self.chunk
            .get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }
}

#[cfg(test)]
impl SharedStr {
    /// Whether `next` starts right after this string and its `tail_len` bytes of tail, in
    /// the same chunk.
    pub fn follows_in_chunk(&self, tail_len: usize, next: &SharedStr) -> bool {
        Arc::ptr_eq(&self.chunk, &next.chunk) && self.end as usize + tail_len == next.start as usize
    }
}

impl Deref for SharedStr {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for SharedStr {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SharedStr {}

impl PartialOrd for SharedStr {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SharedStr {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for SharedStr {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Copies strings one after another into large chunks and hands out [`SharedStr`]s of them.
#[derive(Debug, Default)]
pub struct Packer {
    /// Strings of the chunk being filled, as offsets into `text`.
    pending: Vec<(u32, u32)>,
    text: String,
    packed: Vec<SharedStr>,
}

impl Packer {
    /// A packer expecting about `bytes` bytes of text in total.
    pub fn with_capacity(bytes: usize) -> Self {
        Packer {
            pending: Vec::new(),
            text: String::with_capacity(bytes.min(CHUNK_BYTES)),
            packed: Vec::new(),
        }
    }

    /// Adds `s` followed by `tail` (see [`SharedStr::tail`]); the [`SharedStr`] of `s` is at
    /// the same position in [`Packer::finish`]'s result. A string too long for a chunk gets
    /// one of its own, without its tail.
    pub fn push(&mut self, s: &str, tail: &str) {
        let len = s.len() + tail.len();
        if len > CHUNK_BYTES {
            self.seal();
            self.packed.push(SharedStr::new(s));
            return;
        }
        if self.text.len() + len > CHUNK_BYTES {
            self.seal();
        }
        let start = self.text.len() as u32;
        self.text.push_str(s);
        self.pending.push((start, self.text.len() as u32));
        self.text.push_str(tail);
    }

    /// Closes the chunk being filled.
    fn seal(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let chunk = Arc::new(std::mem::take(&mut self.text).into_boxed_str());
        self.packed
            .extend(self.pending.drain(..).map(|(start, end)| SharedStr {
                chunk: chunk.clone(),
                start,
                end,
            }));
    }

    /// The strings pushed, in order.
    pub fn finish(mut self) -> Vec<SharedStr> {
        self.seal();
        self.packed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_as_its_str() {
        let a = SharedStr::new("arn:b");
        let mut packer = Packer::default();
        for s in ["arn:a", "", "arn:b", "ü-ß"] {
            packer.push(s, "");
        }
        let packed = packer.finish();
        let texts: Vec<&str> = packed.iter().map(SharedStr::as_str).collect();
        assert_eq!(texts, ["arn:a", "", "arn:b", "ü-ß"]);
        assert_eq!(packed[2], a);
        assert!(packed[0] < a && a < packed[3]);
        assert!(Arc::ptr_eq(&packed[0].chunk, &packed[3].chunk));
        let set: std::collections::BTreeSet<SharedStr> = packed.into_iter().collect();
        assert!(set.contains("arn:b"));
        assert_eq!(format!("{a} {a:?}"), "arn:b \"arn:b\"");
    }

    #[test]
    fn tails_follow_their_string_but_are_not_part_of_it() {
        let mut packer = Packer::default();
        packer.push("arn:a", "1.5");
        packer.push("arn:b", "");
        packer.push("arn:c", "ü");
        let packed = packer.finish();
        let alone = SharedStr::with_tail("arn:a", "7");
        assert_eq!(alone, packed[0]);
        assert_eq!(alone.tail(1), Some(&b"7"[..]));
        assert_eq!(packed[0].tail(3), Some(&b"1.5"[..]));
        assert_eq!(&*packed[1], "arn:b");
        assert_eq!(packed[1].as_bytes(), b"arn:b");
        assert_eq!(packed[1].tail(0), Some(&b""[..]));
        assert_eq!(packed[2].tail(2), Some("ü".as_bytes()));
        // Past the chunk's end: no tail.
        assert_eq!(packed[2].tail(3), None);
        assert_eq!(SharedStr::new("arn:d").tail(1), None);
        assert_eq!(packed[0].tail(usize::MAX), None);
    }

    #[test]
    fn is_two_words() {
        assert_eq!(std::mem::size_of::<SharedStr>(), 16);
    }

    #[test]
    fn starts_a_new_chunk_when_one_is_full() {
        let long = "x".repeat(CHUNK_BYTES / 2 + 1);
        let mut packer = Packer::default();
        packer.push(&long, "");
        packer.push("y", "");
        packer.push(&long, "");
        let packed = packer.finish();
        assert_eq!(packed.len(), 3);
        assert!(Arc::ptr_eq(&packed[0].chunk, &packed[1].chunk));
        assert!(!Arc::ptr_eq(&packed[1].chunk, &packed[2].chunk));
        assert_eq!(packed[2].len(), long.len());
        assert_eq!(&*packed[1], "y");
    }
}
