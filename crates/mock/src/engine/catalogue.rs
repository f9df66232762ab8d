//! The AWS-owned catalogue: recipes, algorithms and feature transformations, present in every
//! account and read-only, shipped as data (`data/catalogue.json`, in the shapes of their
//! Describe outputs; sources in `spec/pages/`). ListRecipes' `domain` and `recipeProvider`
//! filters are the one quirk here: the Recipe shape has no domain, so the file maps recipe
//! names to domains and the summaries carry it.

use std::collections::HashMap;

use serde_json::Value;

use super::doc::{self, Members};
use super::store::Resource;
use super::{write, Engine};

const CATALOGUE: &str = include_str!("../../data/catalogue.json");

/// Loads the shipped catalogue into the engine's catalogue partition.
pub(super) fn load(engine: &mut Engine) -> Result<(), String> {
    let file: Members =
        serde_json::from_str(CATALOGUE).map_err(|e| format!("data/catalogue.json: {e}"))?;
    if let Some(Value::Object(domains)) = file.get("recipeDomains") {
        for (name, domain) in domains {
            if let Some(domain) = domain.as_str() {
                engine
                    .recipe_domains
                    .insert(name.clone(), domain.to_owned());
            }
        }
    }
    let mut partition = write(&engine.catalogue);
    for (list, noun) in [
        ("recipes", "Recipe"),
        ("algorithms", "Algorithm"),
        ("featureTransformations", "FeatureTransformation"),
    ] {
        let kind_id = engine
            .registry
            .kind_named(noun)
            .ok_or_else(|| format!("no kind {noun}"))?;
        let kind = &engine.registry.kinds[kind_id];
        let items = file
            .get(list)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (i, item) in items.into_iter().enumerate() {
            let Value::Object(mut members) = item else {
                return Err(format!("data/catalogue.json: {list}[{i}] is not an object"));
            };
            doc::normalize(
                &mut members,
                kind.resource,
                engine.structure,
                &format!("{list}[{i}]"),
            )?;
            let arn = members
                .get(kind.arn_member)
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    format!(
                        "data/catalogue.json: {list}[{i}] has no {}",
                        kind.arn_member
                    )
                })?
                .to_owned();
            let (doc, _) = engine.render(kind_id, &members);
            let summary = kind.summary.map(|shape| {
                let mut with_domain = members.clone();
                let name = members
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if let Some(domain) = engine.recipe_domains.get(name) {
                    with_domain.insert("domain".to_owned(), Value::from(domain.as_str()));
                }
                doc::project(&with_domain, shape).into_boxed_slice()
            });
            let created = members
                .get("creationDateTime")
                .and_then(Value::as_f64)
                .map_or(i64::MIN, |s| (s * 1e6) as i64);
            partition.insert(Resource {
                kind: kind_id,
                doc,
                summary,
                arn: arn.into(),
                created,
                seq: 0,
                filter: None,
                pending: None,
            });
        }
    }
    Ok(())
}

/// What a List keeps beyond its ARN filter (ListRecipes' `domain` and `recipeProvider`),
/// borrowed from the input and the engine's recipe domains.
pub(super) struct Keep<'a> {
    domain: Option<&'a str>,
    provider: Option<&'a str>,
    domains: &'a HashMap<String, String>,
}

impl Keep<'_> {
    /// The filters as text, for the page token's binding.
    pub fn describe(&self) -> String {
        format!(
            "{}\u{0}{}",
            self.domain.unwrap_or_default(),
            self.provider.unwrap_or_default()
        )
    }

    /// Whether `resource` passes the filters.
    pub fn keeps(&self, resource: &Resource) -> bool {
        if self.provider.is_some_and(|p| p != "SERVICE") {
            return false;
        }
        match self.domain {
            None => true,
            Some(domain) => {
                let name = resource.arn().rsplit('/').next().unwrap_or_default();
                self.domains.get(name).is_some_and(|d| d == domain)
            }
        }
    }
}

/// The filters of a List's input that are not parent ARNs.
pub(super) fn list_filter<'a>(engine: &'a Engine, input: &'a Members) -> Keep<'a> {
    let text = |name: &str| input.get(name).and_then(Value::as_str);
    Keep {
        domain: text("domain"),
        provider: text("recipeProvider"),
        domains: &engine.recipe_domains,
    }
}
