//! Seeds and state files: any mix of kinds, each under its List output's items member
//! (`{"datasetGroups":[…],"batchSegmentJobs":[…]}`), items in the shape of their Describe or
//! List outputs (`tags` alongside), so `aws personalize list-… > seed.json` works as is.
//!
//! Loading streams: each item is parsed, checked and stored before the next is read, so a
//! large file is never resident as a whole. Resources live where their ARNs say (account and
//! region); their statuses are taken as given.

use std::fmt;
use std::io::Read;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::doc::{self, Members};
use super::kinds::{self, KindId};
use super::store::Resource;
use super::{take_tags, write, Engine};

/// What went wrong in a seed: where (`datasetGroups[3]`) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SeedProblem(pub String);

impl Engine {
    /// The kind stored under a seed file's top-level member (`datasetGroups`).
    fn kind_of_list(&self, member: &str) -> Option<KindId> {
        let registry = self.registry();
        personalize_model::service::OPERATION_METAS
            .iter()
            .filter(|op| op.name.starts_with("List"))
            .find_map(|op| {
                let (items, _) = kinds::items_member(op)?;
                if items != member {
                    return None;
                }
                match registry.action(op.name)?.0 {
                    kinds::Action::List(kind) => Some(kind),
                    _ => None,
                }
            })
    }

    /// The top-level members a seed may hold: each List output's items member.
    fn list_members(&self) -> Vec<&'static str> {
        personalize_model::service::OPERATION_METAS
            .iter()
            .filter_map(|op| kinds::items_member(op).map(|(items, _)| items))
            .filter(|items| self.kind_of_list(items).is_some())
            .collect()
    }

    /// Loads a seed from `reader`; the number of resources stored.
    pub fn seed(&self, reader: impl Read) -> Result<usize, SeedProblem> {
        let mut de = serde_json::Deserializer::from_reader(reader);
        let count = de
            .deserialize_map(SeedVisitor { engine: self })
            .map_err(|e| SeedProblem(e.to_string()))?;
        de.end()
            .map_err(|e| SeedProblem(format!("after the seed object: {e}")))?;
        self.changed();
        Ok(count)
    }

    /// Stores one seeded resource of `kind_id`.
    fn seed_one(&self, kind_id: KindId, mut members: Members, at: &str) -> Result<(), String> {
        let kind = &self.registry().kinds[kind_id];
        if let Some(summary) = kind.summary {
            doc::normalize(&mut members, summary, self.structure, at)?;
        }
        doc::normalize(&mut members, kind.resource, self.structure, at)?;
        let tags = take_tags(&mut members).map_err(|e| format!("{at}: {}", e.message))?;
        let arn = members
            .get(kind.arn_member)
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{at}: {} is missing", kind.arn_member))?
            .to_owned();
        let (region, account) = place_of(&arn).ok_or_else(|| {
            format!(
                "{at}.{}: '{arn}' is not arn:<partition>:personalize:<region>:<account>:<resource>",
                kind.arn_member
            )
        })?;
        let created = members
            .get("creationDateTime")
            .and_then(Value::as_f64)
            .map_or(i64::MIN, |secs| (secs * 1e6).round() as i64);
        let parents: Vec<_> = kind
            .parents
            .iter()
            .map(|(m, k)| (*m, *k, Members::new()))
            .collect();
        let filter = self.filter_value(kind_id, &members, &parents);
        let (doc, summary) = self.render(kind_id, &members);
        let partition = self.partition_mut(account, region);
        let mut p = write(&partition);
        let filter = filter.map(|f| p.intern_filter(kind_id, &f));
        p.insert(Resource {
            kind: kind_id,
            doc,
            summary,
            arn: arn.as_str().into(),
            created,
            seq: 0,
            filter,
            pending: None,
        });
        if !tags.is_empty() {
            p.set_tags(&arn, tags);
        }
        Ok(())
    }

    /// Every resource of every account and region as a seed file (the state file format).
    pub fn dump(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(1024);
        out.push(b'{');
        let partitions: Vec<_> = super::read(&self.partitions).values().cloned().collect();
        // Statuses are derived from time: dump what a Describe now would show.
        for partition in &partitions {
            self.advance(partition);
        }
        let mut first_kind = true;
        for op in personalize_model::service::OPERATION_METAS {
            let Some((kinds::Action::List(kind), _)) = self.registry().action(op.name) else {
                continue;
            };
            let Some((items, _)) = kinds::items_member(op) else {
                continue;
            };
            let mut first = true;
            for partition in &partitions {
                let p = super::read(partition);
                for resource in p.resources().filter(|r| r.kind == kind) {
                    if first {
                        if !first_kind {
                            out.push(b',');
                        }
                        first_kind = false;
                        out.extend_from_slice(Value::from(items).to_string().as_bytes());
                        out.extend_from_slice(b":[");
                    } else {
                        out.push(b',');
                    }
                    first = false;
                    let tags = p.tags(resource.arn()).unwrap_or_default();
                    if tags.is_empty() {
                        out.extend_from_slice(&resource.doc);
                    } else {
                        let mut members = doc::read(&resource.doc);
                        let tags: Vec<Value> = tags
                            .iter()
                            .map(|(k, v)| serde_json::json!({"tagKey": k, "tagValue": v}))
                            .collect();
                        members.insert("tags".to_owned(), Value::Array(tags));
                        out.extend_from_slice(&serde_json::to_vec(&members).unwrap_or_default());
                    }
                }
            }
            if !first {
                out.push(b']');
            }
        }
        out.push(b'}');
        out
    }
}

/// `(region, account)` of `arn:<partition>:personalize:<region>:<account>:<resource>`.
pub(crate) fn place_of(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(_), Some(_), Some(region), Some(account), Some(rest)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    (!rest.is_empty()).then_some((region, account))
}

struct SeedVisitor<'e> {
    engine: &'e Engine,
}

impl<'de> Visitor<'de> for SeedVisitor<'_> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object of resource lists, such as {\"datasetGroups\":[…]}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<usize, A::Error> {
        let mut count = 0;
        while let Some(key) = map.next_key::<String>()? {
            match self.engine.kind_of_list(&key) {
                Some(kind) => {
                    count += map.next_value_seed(ListSeed {
                        engine: self.engine,
                        kind,
                        name: &key,
                    })?;
                }
                // Beside the items, `aws personalize list-…` prints `nextToken`; a state file
                // starts with its `version`.
                None if matches!(key.as_str(), "nextToken" | "version") => {
                    map.next_value::<IgnoredAny>()?;
                }
                None => {
                    return Err(de::Error::custom(format!(
                        "unknown member {key:?}: a seed holds resources under the items member of their List output ({})",
                        self.engine.list_members().join(", ")
                    )));
                }
            }
        }
        Ok(count)
    }
}

struct ListSeed<'e, 'k> {
    engine: &'e Engine,
    kind: KindId,
    name: &'k str,
}

impl<'de> DeserializeSeed<'de> for ListSeed<'_, '_> {
    type Value = usize;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ListSeed<'_, '_> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an array of resources under {}", self.name)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut i = 0;
        while let Some(item) = seq.next_element::<Value>()? {
            let at = format!("{}[{i}]", self.name);
            let Value::Object(members) = item else {
                return Err(de::Error::custom(format!("{at}: not a JSON object")));
            };
            self.engine
                .seed_one(self.kind, members, &at)
                .map_err(de::Error::custom)?;
            i += 1;
        }
        Ok(i)
    }
}
