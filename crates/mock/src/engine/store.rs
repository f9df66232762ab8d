//! Resources of one account and region: by ARN, in listing order per kind, and per List
//! filter value; each resource's summary kept as the bytes a page copies.
//!
//! Listing order is newest `creationDateTime` first, then insertion order (`seq`); resources
//! without a creation time come last. Paging is keyset: a cursor is the sort key of the last
//! resource returned, so a page deep in a long listing costs what the first page costs.
//! Every insertion takes the next sequence number; a listing records the sequence number when
//! it began (its *snapshot*) and skips resources inserted after it, so a listing that runs
//! while resources are created returns every resource that existed when it began exactly once.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};
use std::hash::BuildHasher;
use std::ops::Bound;
use std::sync::Arc;

use hashbrown::HashTable;

use super::kinds::KindId;

/// Sort key of a resource in a listing.
pub(crate) type SortKey = (Reverse<i64>, u64);

/// A resource's place in the listing order: what a page token carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cursor {
    /// Creation time in microseconds (`i64::MIN` when the resource has none).
    pub created: i64,
    /// Insertion sequence number.
    pub seq: u64,
}

impl Cursor {
    fn key(self) -> SortKey {
        (Reverse(self.created), self.seq)
    }
}

/// A status change due later: the resource moves along `steps` on the clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Pending {
    /// The three statuses: two transient ones and the final one (`""` = removed at the end).
    pub steps: [&'static str; 3],
    /// When the first transient status began, in microseconds.
    pub start: i64,
    /// Delays of the two transient statuses, in microseconds.
    pub delays: [i64; 2],
    /// Whether the change is on the resource's `latest<Noun>Update` block (else its own status).
    pub on_update: bool,
}

impl Pending {
    /// The index of the step in force at `now` (0, 1 or 2) and when it began.
    pub fn step_at(&self, now: i64) -> (usize, i64) {
        let second = self.start.saturating_add(self.delays[0]);
        let third = second.saturating_add(self.delays[1]);
        if now >= third {
            (2, third)
        } else if now >= second {
            (1, second)
        } else {
            (0, self.start)
        }
    }
}

/// One resource.
#[derive(Clone, Debug)]
pub(crate) struct Resource {
    /// Its kind.
    pub kind: KindId,
    /// Every member as a compact JSON object (resource members, then what the Create input
    /// carried beyond them), summary members first and in the summary's order.
    pub doc: Box<[u8]>,
    /// The summary a page writes, when it is not the whole `doc`.
    pub summary: Option<Box<[u8]>>,
    /// The ARN: where in `doc` its text is (so lookups need no parsing), or its own copy.
    pub arn: ArnText,
    /// Listing key.
    pub created: i64,
    /// Insertion sequence number.
    pub seq: u64,
    /// The value of its kind's List filter (the parent the List can be narrowed to).
    pub filter: Option<Arc<str>>,
    /// A status change still to come.
    pub pending: Option<Box<Pending>>,
}

/// Where a resource's ARN is kept.
///
/// Every resource's doc holds its ARN, so the store keeps only where: a separate copy would
/// cost about 100 bytes per resource (the text and its allocation). A resource is built with
/// its own copy ([`From<&str>`]); [`Partition`] moves it into the doc when the doc holds the
/// same bytes (always, unless the ARN has characters JSON escapes).
#[derive(Clone, Debug)]
pub(crate) enum ArnText {
    /// Bytes `start..start + len` of the doc.
    InDoc {
        /// Offset of the first byte.
        start: u32,
        /// Length in bytes.
        len: u32,
    },
    /// A copy of its own.
    Own(Box<str>),
}

impl From<&str> for ArnText {
    fn from(arn: &str) -> Self {
        ArnText::Own(arn.into())
    }
}

impl From<String> for ArnText {
    fn from(arn: String) -> Self {
        ArnText::Own(arn.into())
    }
}

impl Resource {
    /// The ARN.
    pub fn arn(&self) -> &str {
        match &self.arn {
            ArnText::Own(arn) => arn,
            ArnText::InDoc { start, len } => {
                let (start, len) = (*start as usize, *len as usize);
                self.doc
                    .get(start..start.saturating_add(len))
                    .and_then(|bytes| std::str::from_utf8(bytes).ok())
                    .unwrap_or_default()
            }
        }
    }

    /// Keeps the ARN as bytes of the doc, when the doc holds them.
    fn share_arn(&mut self) {
        let ArnText::Own(arn) = &self.arn else {
            return;
        };
        let needle = arn.as_bytes();
        let found = (!needle.is_empty())
            .then(|| self.doc.windows(needle.len()).position(|w| w == needle))
            .flatten();
        if let Some((start, len)) = found.and_then(|start| {
            Some((
                u32::try_from(start).ok()?,
                u32::try_from(needle.len()).ok()?,
            ))
        }) {
            self.arn = ArnText::InDoc { start, len };
        }
    }

    /// The bytes a List page writes for it.
    pub fn summary_bytes(&self) -> &[u8] {
        self.summary.as_deref().unwrap_or(&self.doc)
    }

    fn key(&self) -> SortKey {
        (Reverse(self.created), self.seq)
    }
}

/// A kind's listing indexes.
#[derive(Debug, Default)]
struct Listing {
    all: BTreeMap<SortKey, u32>,
    by_filter: HashMap<Arc<str>, BTreeMap<SortKey, u32>>,
}

/// A page: the resources on it, and the cursor of the last one when more follow.
#[derive(Debug)]
pub(crate) struct Page<'a> {
    /// The resources, in listing order.
    pub items: Vec<&'a Resource>,
    /// Where the next page starts.
    pub next: Option<Cursor>,
}

/// The resources of one account and region.
#[derive(Debug)]
pub(crate) struct Partition {
    slots: Vec<Option<Resource>>,
    free: Vec<u32>,
    by_arn: HashTable<u32>,
    hasher: std::hash::RandomState,
    listings: Vec<Listing>,
    tags: HashMap<u32, Vec<(String, String)>>,
    due: BinaryHeap<Reverse<(i64, u32, u64)>>,
    seq: u64,
    /// Resource count at which the listing indexes are next repacked.
    repack_at: usize,
}

/// Listing indexes are repacked when the partition has grown by a quarter since the last time
/// (and holds at least this many resources).
const REPACK_MIN: usize = 4096;

impl Partition {
    /// An empty partition for `kinds` kinds.
    pub fn new(kinds: usize) -> Self {
        Partition {
            slots: Vec::new(),
            free: Vec::new(),
            by_arn: HashTable::new(),
            hasher: std::hash::RandomState::new(),
            listings: (0..kinds).map(|_| Listing::default()).collect(),
            tags: HashMap::new(),
            due: BinaryHeap::new(),
            seq: 0,
            repack_at: REPACK_MIN,
        }
    }

    /// Number of resources.
    pub fn len(&self) -> usize {
        self.by_arn.len()
    }

    /// The sequence number of the latest insertion (a listing's snapshot).
    pub fn snapshot(&self) -> u64 {
        self.seq
    }

    fn slot_of(&self, arn: &str) -> Option<u32> {
        let hash = self.hasher.hash_one(arn);
        self.by_arn
            .find(hash, |&slot| self.arn_at(slot) == Some(arn))
            .copied()
    }

    fn arn_at(&self, slot: u32) -> Option<&str> {
        self.slots
            .get(slot as usize)
            .and_then(Option::as_ref)
            .map(Resource::arn)
    }

    /// The resource with this ARN.
    pub fn get(&self, arn: &str) -> Option<&Resource> {
        let slot = self.slot_of(arn)?;
        self.slots.get(slot as usize)?.as_ref()
    }

    /// Inserts `resource`, replacing one with the same ARN (which keeps its sequence number and
    /// its tags). Returns whether it replaced one.
    pub fn insert(&mut self, mut resource: Resource) -> bool {
        resource.share_arn();
        if let Some(slot) = self.slot_of(resource.arn()) {
            if let Some(old) = self.slots.get_mut(slot as usize).and_then(Option::take) {
                resource.seq = old.seq;
                self.unlist(&old, slot);
            }
            self.list(&resource, slot);
            self.schedule(&resource, slot);
            self.slots[slot as usize] = Some(resource);
            return true;
        }
        self.seq += 1;
        resource.seq = self.seq;
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(None);
                u32::try_from(self.slots.len() - 1).unwrap_or(u32::MAX)
            }
        };
        let hash = self.hasher.hash_one(resource.arn());
        self.list(&resource, slot);
        self.schedule(&resource, slot);
        self.slots[slot as usize] = Some(resource);
        let (slots, hasher) = (&self.slots, &self.hasher);
        self.by_arn.insert_unique(hash, slot, |&s| {
            let arn = slots
                .get(s as usize)
                .and_then(Option::as_ref)
                .map(Resource::arn)
                .unwrap_or_default();
            hasher.hash_one(arn)
        });
        if self.len() >= self.repack_at {
            self.repack();
        }
        false
    }

    /// Rebuilds every listing index from its sorted entries, so its B-tree nodes are full.
    ///
    /// Resources mostly arrive in listing order or its reverse (a seed file in either order,
    /// creates in time order), and a B-tree that grows at one end leaves the nodes behind it
    /// about half full: about twice the memory per entry. Done when the partition has grown by
    /// a quarter since the last time, it costs amortised O(1) per insertion.
    fn repack(&mut self) {
        for listing in &mut self.listings {
            listing.all = std::mem::take(&mut listing.all).into_iter().collect();
            for index in listing.by_filter.values_mut() {
                *index = std::mem::take(index).into_iter().collect();
            }
        }
        self.repack_at = self.len().saturating_add(self.len() / 4).max(REPACK_MIN);
    }

    /// Changes the resource with this ARN in place (its listing place stays).
    pub fn update(&mut self, arn: &str, change: impl FnOnce(&mut Resource)) -> bool {
        let Some(slot) = self.slot_of(arn) else {
            return false;
        };
        let Some(resource) = self.slots.get_mut(slot as usize).and_then(Option::as_mut) else {
            return false;
        };
        let (created, filter) = (resource.created, resource.filter.clone());
        let before = resource.pending.clone();
        // The doc may change: keep the ARN's text apart meanwhile.
        resource.arn = ArnText::from(resource.arn());
        change(resource);
        resource.created = created;
        resource.filter = filter;
        resource.share_arn();
        if resource.pending != before {
            if let Some(pending) = resource.pending.as_deref().copied() {
                let seq = resource.seq;
                self.push_dues(&pending, slot, seq);
            }
        }
        true
    }

    /// Removes the resource with this ARN, with its tags.
    pub fn remove(&mut self, arn: &str) -> Option<Resource> {
        let slot = self.slot_of(arn)?;
        let resource = self.slots.get_mut(slot as usize)?.take()?;
        let hash = self.hasher.hash_one(arn);
        if let Ok(entry) = self.by_arn.find_entry(hash, |&s| s == slot) {
            entry.remove();
        }
        self.unlist(&resource, slot);
        self.tags.remove(&slot);
        self.free.push(slot);
        Some(resource)
    }

    /// Empties the partition (listings begun before find no more resources).
    pub fn clear(&mut self) {
        let kinds = self.listings.len();
        let seq = self.seq;
        *self = Partition::new(kinds);
        self.seq = seq;
    }

    fn list(&mut self, resource: &Resource, slot: u32) {
        let listing = &mut self.listings[resource.kind];
        listing.all.insert(resource.key(), slot);
        if let Some(filter) = &resource.filter {
            listing
                .by_filter
                .entry(filter.clone())
                .or_default()
                .insert(resource.key(), slot);
        }
    }

    fn unlist(&mut self, resource: &Resource, _slot: u32) {
        let listing = &mut self.listings[resource.kind];
        listing.all.remove(&resource.key());
        if let Some(filter) = &resource.filter {
            if let Some(index) = listing.by_filter.get_mut(filter) {
                index.remove(&resource.key());
                if index.is_empty() {
                    listing.by_filter.remove(filter);
                }
            }
        }
    }

    /// The shared copy of a filter value already indexed, so resources under one parent share
    /// one string.
    pub fn intern_filter(&self, kind: KindId, value: &str) -> Arc<str> {
        self.listings[kind]
            .by_filter
            .get_key_value(value)
            .map(|(k, _)| k.clone())
            .unwrap_or_else(|| Arc::from(value))
    }

    fn schedule(&mut self, resource: &Resource, slot: u32) {
        if let Some(pending) = resource.pending.as_deref().copied() {
            self.push_dues(&pending, slot, resource.seq);
        }
    }

    fn push_dues(&mut self, pending: &Pending, slot: u32, seq: u64) {
        let second = pending.start.saturating_add(pending.delays[0]);
        let third = second.saturating_add(pending.delays[1]);
        self.due.push(Reverse((second, slot, seq)));
        self.due.push(Reverse((third, slot, seq)));
    }

    /// The earliest status change still due, in microseconds.
    pub fn next_due(&self) -> Option<i64> {
        self.due.peek().map(|Reverse((due, ..))| *due)
    }

    /// Takes the ARNs of resources with a status change due by `now` (each once, even when
    /// several of its steps are due).
    pub fn take_due(&mut self, now: i64) -> Vec<Box<str>> {
        let mut arns: Vec<Box<str>> = Vec::new();
        while let Some(Reverse((due, slot, seq))) = self.due.peek().copied() {
            if due > now {
                break;
            }
            self.due.pop();
            if let Some(resource) = self.slots.get(slot as usize).and_then(Option::as_ref) {
                if resource.seq == seq
                    && resource.pending.is_some()
                    && !arns.iter().any(|a| **a == *resource.arn())
                {
                    arns.push(resource.arn().into());
                }
            }
        }
        arns
    }

    /// A page of `kind`'s resources (narrowed to `filter` when given) after `after`, skipping
    /// resources inserted after `snapshot`.
    pub fn page(
        &self,
        kind: KindId,
        filter: Option<&str>,
        after: Option<Cursor>,
        snapshot: u64,
        limit: usize,
        keep: &dyn Fn(&Resource) -> bool,
    ) -> Page<'_> {
        let listing = &self.listings[kind];
        let index = match filter {
            None => Some(&listing.all),
            Some(value) => listing.by_filter.get(value),
        };
        let mut items = Vec::with_capacity(limit.min(self.len()));
        let mut next = None;
        let Some(index) = index else {
            return Page { items, next };
        };
        let start = after.map_or(Bound::Unbounded, |c| Bound::Excluded(c.key()));
        for (key, slot) in index.range((start, Bound::Unbounded)) {
            if key.1 > snapshot {
                continue;
            }
            let Some(resource) = self.slots.get(*slot as usize).and_then(Option::as_ref) else {
                continue;
            };
            if !keep(resource) {
                continue;
            }
            if items.len() == limit {
                next = items.last().map(|last: &&Resource| Cursor {
                    created: last.created,
                    seq: last.seq,
                });
                break;
            }
            items.push(resource);
        }
        Page { items, next }
    }

    /// Every resource of `kind` whose doc names `arn` in member `member` (children of a parent).
    pub fn children<'a>(
        &'a self,
        kind: KindId,
        member: &'a str,
        arn: &'a str,
    ) -> impl Iterator<Item = &'a Resource> + 'a {
        let needle = format!("\"{member}\":{}", serde_json::Value::from(arn));
        self.listings[kind]
            .all
            .values()
            .filter_map(|slot| self.slots.get(*slot as usize).and_then(Option::as_ref))
            .filter(move |r| memchr_find(&r.doc, needle.as_bytes()))
    }

    /// Every resource, in no particular order.
    pub fn resources(&self) -> impl Iterator<Item = &Resource> {
        self.slots.iter().flatten()
    }

    /// The tags of the resource with this ARN.
    pub fn tags(&self, arn: &str) -> Option<&[(String, String)]> {
        let slot = self.slot_of(arn)?;
        Some(self.tags.get(&slot).map(Vec::as_slice).unwrap_or_default())
    }

    /// Replaces the tags of the resource with this ARN.
    pub fn set_tags(&mut self, arn: &str, tags: Vec<(String, String)>) -> bool {
        let Some(slot) = self.slot_of(arn) else {
            return false;
        };
        if tags.is_empty() {
            self.tags.remove(&slot);
        } else {
            self.tags.insert(slot, tags);
        }
        true
    }
}

fn memchr_find(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(arn: &str, doc: &str) -> Resource {
        Resource {
            kind: 0,
            doc: doc.as_bytes().into(),
            summary: None,
            arn: arn.into(),
            created: 1,
            seq: 0,
            filter: None,
            pending: None,
        }
    }

    #[test]
    fn arns_are_kept_in_the_doc_when_it_holds_them() {
        let mut p = Partition::new(1);
        let arn = "arn:aws:personalize:us-east-1:123456789012:dataset-group/a";
        p.insert(resource(
            arn,
            &format!(r#"{{"name":"a","datasetGroupArn":"{arn}"}}"#),
        ));
        let stored = p.get(arn).expect("found by its ARN");
        assert!(
            matches!(stored.arn, ArnText::InDoc { start: 31, .. }),
            "{:?}",
            stored.arn
        );
        assert_eq!(stored.arn(), arn);

        // A new doc (the ARN moves within it) keeps the ARN right.
        assert!(p.update(arn, |r| {
            r.doc = format!(r#"{{"datasetGroupArn":"{arn}","status":"ACTIVE"}}"#)
                .into_bytes()
                .into();
        }));
        let stored = p.get(arn).expect("still found");
        assert!(matches!(stored.arn, ArnText::InDoc { start: 20, .. }));
        assert_eq!(stored.arn(), arn);

        // A doc without the ARN's bytes (escaped differently) keeps a copy.
        let odd = "arn:aws:personalize:us-east-1:123456789012:dataset-group/a\"b";
        p.insert(resource(odd, r#"{"datasetGroupArn":"arn:aws:personalize:us-east-1:123456789012:dataset-group/a\"b"}"#));
        let stored = p.get(odd).expect("found by its ARN");
        assert!(matches!(stored.arn, ArnText::Own(_)));
        assert_eq!(stored.arn(), odd);
        assert_eq!(
            p.remove(arn).map(|r| r.arn().to_owned()),
            Some(arn.to_owned())
        );
        assert!(p.get(arn).is_none());
        assert_eq!(p.len(), 1);
    }
}
