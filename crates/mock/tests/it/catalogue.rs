//! The AWS-owned catalogue in `data/catalogue.json`: the recipes, algorithms and feature
//! transformations every account sees (DescribeRecipe, ListRecipes, DescribeAlgorithm,
//! DescribeFeatureTransformation). Every entry must be a valid model structure written with the
//! model's wire names, ARNs must have the account-less form ending in the name, references must
//! resolve within the file, and the recipes must be exactly the documented catalogue
//! (`spec/pages/choosing-a-recipe.md`).

use std::collections::{BTreeMap, BTreeSet};

use personalize_model::types::{Algorithm, Domain, FeatureTransformation, Recipe};
use personalize_model::Validate;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

const RECIPE_ARN: &str = "arn:aws:personalize:::recipe/";
const ALGORITHM_ARN: &str = "arn:aws:personalize:::algorithm/";
const FEATURE_TRANSFORMATION_ARN: &str = "arn:aws:personalize:::feature-transformation/";

const USER_PERSONALIZATION: Option<&str> = Some("USER_PERSONALIZATION");
const POPULAR_ITEMS: Option<&str> = Some("POPULAR_ITEMS");
const PERSONALIZED_RANKING: Option<&str> = Some("PERSONALIZED_RANKING");
const RELATED_ITEMS: Option<&str> = Some("RELATED_ITEMS");
const PERSONALIZED_ACTIONS: Option<&str> = Some("PERSONALIZED_ACTIONS");
const USER_SEGMENTATION: Option<&str> = Some("USER_SEGMENTATION");

/// The documented recipes: name, `recipeType` (the recipe page's "Recipe type" property, else
/// the recipe table of "Choosing a recipe"; the domain use-case pages give none) and the domain
/// of a domain dataset group recipe.
const DOCUMENTED_RECIPES: &[(&str, Option<&str>, Option<&str>)] = &[
    ("aws-user-personalization-v2", USER_PERSONALIZATION, None),
    ("aws-user-personalization", USER_PERSONALIZATION, None),
    ("aws-trending-now", POPULAR_ITEMS, None),
    ("aws-popularity-count", USER_PERSONALIZATION, None),
    ("aws-next-best-action", PERSONALIZED_ACTIONS, None),
    ("aws-hrnn", USER_PERSONALIZATION, None),
    ("aws-hrnn-metadata", USER_PERSONALIZATION, None),
    ("aws-hrnn-coldstart", USER_PERSONALIZATION, None),
    ("aws-personalized-ranking-v2", PERSONALIZED_RANKING, None),
    ("aws-personalized-ranking", PERSONALIZED_RANKING, None),
    ("aws-similar-items", RELATED_ITEMS, None),
    ("aws-sims", RELATED_ITEMS, None),
    ("aws-semantic-similarity", RELATED_ITEMS, None),
    ("aws-item-affinity", USER_SEGMENTATION, None),
    ("aws-item-attribute-affinity", USER_SEGMENTATION, None),
    ("aws-ecomm-popular-items-by-views", None, Some("ECOMMERCE")),
    (
        "aws-ecomm-popular-items-by-purchases",
        None,
        Some("ECOMMERCE"),
    ),
    (
        "aws-ecomm-frequently-bought-together",
        None,
        Some("ECOMMERCE"),
    ),
    (
        "aws-ecomm-customers-who-viewed-x-also-viewed",
        None,
        Some("ECOMMERCE"),
    ),
    ("aws-ecomm-recommended-for-you", None, Some("ECOMMERCE")),
    (
        "aws-vod-because-you-watched-x",
        None,
        Some("VIDEO_ON_DEMAND"),
    ),
    ("aws-vod-more-like-x", None, Some("VIDEO_ON_DEMAND")),
    ("aws-vod-most-popular", None, Some("VIDEO_ON_DEMAND")),
    ("aws-vod-trending-now", None, Some("VIDEO_ON_DEMAND")),
    ("aws-vod-top-picks", None, Some("VIDEO_ON_DEMAND")),
];

/// Recipes whose pages list the algorithm and feature transformation they use.
const DOCUMENTED_REFERENCES: &[(&str, &str, Option<&str>)] = &[
    ("aws-trending-now", "aws-trending-now-custom", None),
    ("aws-popularity-count", "aws-popularity-count", Some("sims")),
    ("aws-hrnn", "aws-hrnn", Some("JSON-percentile-filtering")),
    (
        "aws-hrnn-metadata",
        "aws-hrnn-metadata",
        Some("featurize_metadata"),
    ),
    (
        "aws-hrnn-coldstart",
        "aws-hrnn-coldstart",
        Some("featurize_coldstart"),
    ),
    (
        "aws-personalized-ranking",
        "aws-personalized-ranking",
        Some("JSON-percentile-filtering"),
    ),
    ("aws-sims", "aws-sims", Some("sims")),
    (
        "aws-semantic-similarity",
        "aws-semantic-similarity",
        Some("aws-semantic-similarity"),
    ),
    (
        "aws-item-affinity",
        "aws-item-affinity",
        Some("item-affinity"),
    ),
    (
        "aws-item-attribute-affinity",
        "aws-item-attribute-affinity",
        Some("item-attribute-affinity"),
    ),
];

struct Catalogue {
    recipes: Vec<Recipe>,
    algorithms: Vec<Algorithm>,
    feature_transformations: Vec<FeatureTransformation>,
    recipe_domains: BTreeMap<String, Domain>,
}

fn load() -> Catalogue {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/catalogue.json");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let keys: BTreeSet<&str> = doc
        .as_object()
        .unwrap_or_else(|| panic!("{path}: not a JSON object"))
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        BTreeSet::from([
            "algorithms",
            "featureTransformations",
            "recipeDomains",
            "recipes"
        ]),
        "{path}: top-level members"
    );
    Catalogue {
        recipes: entries(&doc, "recipes"),
        algorithms: entries(&doc, "algorithms"),
        feature_transformations: entries(&doc, "featureTransformations"),
        recipe_domains: serde_json::from_value(doc["recipeDomains"].clone())
            .unwrap_or_else(|e| panic!("recipeDomains: {e}")),
    }
}

/// Each element of `doc[key]` as a `T`, checked against the model's constraints. Re-serializing
/// must give the element back, so a misspelt or unknown member (which deserializing would skip)
/// fails here.
fn entries<T: DeserializeOwned + Serialize + Validate>(doc: &Value, key: &str) -> Vec<T> {
    let elements = doc[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key}: not an array"));
    assert!(!elements.is_empty(), "{key}: empty");
    elements
        .iter()
        .enumerate()
        .map(|(i, element)| {
            let entry: T = serde_json::from_value(element.clone())
                .unwrap_or_else(|e| panic!("{key}[{i}]: {e}"));
            if let Err(e) = entry.validate() {
                panic!("{key}[{i}]: {e}");
            }
            let back = serde_json::to_value(&entry).unwrap_or_else(|e| panic!("{key}[{i}]: {e}"));
            assert_eq!(
                &back, element,
                "{key}[{i}]: members the model does not have"
            );
            entry
        })
        .collect()
}

fn name(name: &Option<String>, kind: &str, i: usize) -> String {
    name.clone()
        .unwrap_or_else(|| panic!("{kind}[{i}]: no name"))
}

#[test]
fn every_entry_is_a_valid_model_structure() {
    let catalogue = load();
    assert_eq!(catalogue.recipes.len(), DOCUMENTED_RECIPES.len());
    assert!(!catalogue.algorithms.is_empty());
    assert!(!catalogue.feature_transformations.is_empty());
}

#[test]
fn arns_are_account_less_and_end_in_the_name() {
    let catalogue = load();
    for (i, recipe) in catalogue.recipes.iter().enumerate() {
        let name = name(&recipe.name, "recipes", i);
        assert_eq!(
            recipe.recipe_arn.as_deref(),
            Some(format!("{RECIPE_ARN}{name}").as_str())
        );
    }
    for (i, algorithm) in catalogue.algorithms.iter().enumerate() {
        let name = name(&algorithm.name, "algorithms", i);
        assert_eq!(
            algorithm.algorithm_arn.as_deref(),
            Some(format!("{ALGORITHM_ARN}{name}").as_str())
        );
    }
    for (i, transformation) in catalogue.feature_transformations.iter().enumerate() {
        let name = name(&transformation.name, "featureTransformations", i);
        assert_eq!(
            transformation.feature_transformation_arn.as_deref(),
            Some(format!("{FEATURE_TRANSFORMATION_ARN}{name}").as_str())
        );
    }
}

#[test]
fn names_are_unique_per_kind() {
    let catalogue = load();
    let kinds: [(&str, Vec<String>); 3] = [
        (
            "recipes",
            catalogue
                .recipes
                .iter()
                .enumerate()
                .map(|(i, r)| name(&r.name, "recipes", i))
                .collect(),
        ),
        (
            "algorithms",
            catalogue
                .algorithms
                .iter()
                .enumerate()
                .map(|(i, a)| name(&a.name, "algorithms", i))
                .collect(),
        ),
        (
            "featureTransformations",
            catalogue
                .feature_transformations
                .iter()
                .enumerate()
                .map(|(i, f)| name(&f.name, "featureTransformations", i))
                .collect(),
        ),
    ];
    for (kind, names) in kinds {
        let mut seen = BTreeSet::new();
        for name in &names {
            assert!(seen.insert(name), "{kind}: {name} appears twice");
        }
    }
}

#[test]
fn references_resolve_and_nothing_is_orphaned() {
    let catalogue = load();
    let algorithms: BTreeSet<&str> = catalogue
        .algorithms
        .iter()
        .filter_map(|a| a.algorithm_arn.as_deref())
        .collect();
    let transformations: BTreeSet<&str> = catalogue
        .feature_transformations
        .iter()
        .filter_map(|f| f.feature_transformation_arn.as_deref())
        .collect();
    let mut used_algorithms = BTreeSet::new();
    let mut used_transformations = BTreeSet::new();
    for recipe in &catalogue.recipes {
        let name = recipe.name.as_deref().unwrap_or_default();
        if let Some(arn) = recipe.algorithm_arn.as_deref() {
            assert!(
                algorithms.contains(arn),
                "recipe {name}: no algorithm {arn}"
            );
            used_algorithms.insert(arn);
        }
        if let Some(arn) = recipe.feature_transformation_arn.as_deref() {
            assert!(
                transformations.contains(arn),
                "recipe {name}: no feature transformation {arn}"
            );
            used_transformations.insert(arn);
        }
    }
    assert_eq!(used_algorithms, algorithms, "algorithms no recipe uses");
    assert_eq!(
        used_transformations, transformations,
        "feature transformations no recipe uses"
    );
}

#[test]
fn documented_references_are_the_ones_in_the_file() {
    let catalogue = load();
    for &(recipe_name, algorithm, transformation) in DOCUMENTED_REFERENCES {
        let recipe = catalogue
            .recipes
            .iter()
            .find(|r| r.name.as_deref() == Some(recipe_name))
            .unwrap_or_else(|| panic!("no recipe {recipe_name}"));
        assert_eq!(
            recipe.algorithm_arn.as_deref(),
            Some(format!("{ALGORITHM_ARN}{algorithm}").as_str()),
            "{recipe_name}"
        );
        assert_eq!(
            recipe.feature_transformation_arn,
            transformation.map(|t| format!("{FEATURE_TRANSFORMATION_ARN}{t}")),
            "{recipe_name}"
        );
    }
}

#[test]
fn recipe_domains_name_recipes_with_a_known_domain() {
    let catalogue = load();
    let recipes: BTreeSet<&str> = catalogue
        .recipes
        .iter()
        .filter_map(|r| r.name.as_deref())
        .collect();
    assert!(!catalogue.recipe_domains.is_empty());
    for (name, domain) in &catalogue.recipe_domains {
        assert!(
            recipes.contains(name.as_str()),
            "recipeDomains: {name} is not a recipe"
        );
        assert!(
            domain.is_known(),
            "recipeDomains: {name}: unknown domain {domain:?}"
        );
    }
}

#[test]
fn the_catalogue_is_the_documented_one() {
    let catalogue = load();
    let by_name: BTreeMap<&str, &Recipe> = catalogue
        .recipes
        .iter()
        .filter_map(|r| Some((r.name.as_deref()?, r)))
        .collect();
    let documented: BTreeSet<&str> = DOCUMENTED_RECIPES
        .iter()
        .map(|(name, _, _)| *name)
        .collect();
    assert_eq!(by_name.keys().copied().collect::<BTreeSet<_>>(), documented);
    for &(name, recipe_type, domain) in DOCUMENTED_RECIPES {
        let recipe = by_name[name];
        assert_eq!(
            recipe.recipe_type.as_deref(),
            recipe_type,
            "{name}: recipeType"
        );
        assert_eq!(
            catalogue.recipe_domains.get(name).map(Domain::as_str),
            domain,
            "{name}: domain"
        );
        // Domain recipes back recommenders; their pages name no algorithm or transformation.
        assert_eq!(
            recipe.algorithm_arn.is_some(),
            domain.is_none(),
            "{name}: algorithmArn"
        );
        if domain.is_some() {
            assert_eq!(recipe.feature_transformation_arn, None, "{name}");
        }
    }
}

#[test]
fn entries_are_active_with_fixed_timestamps() {
    let catalogue = load();
    let stamps = catalogue
        .recipes
        .iter()
        .map(|r| {
            (
                r.name.as_deref(),
                r.status.as_deref(),
                r.creation_date_time,
                r.last_updated_date_time,
            )
        })
        .chain(catalogue.feature_transformations.iter().map(|f| {
            (
                f.name.as_deref(),
                f.status.as_deref(),
                f.creation_date_time,
                f.last_updated_date_time,
            )
        }));
    for (name, status, created, updated) in stamps {
        let name = name.unwrap_or_default();
        assert_eq!(status, Some("ACTIVE"), "{name}: status");
        let (created, updated) = created
            .zip(updated)
            .unwrap_or_else(|| panic!("{name}: timestamps"));
        assert!(created <= updated, "{name}: updated before created");
    }
    for algorithm in &catalogue.algorithms {
        let name = algorithm.name.as_deref().unwrap_or_default();
        assert!(
            algorithm.creation_date_time.is_some(),
            "{name}: creationDateTime"
        );
        assert!(
            algorithm.last_updated_date_time.is_some(),
            "{name}: lastUpdatedDateTime"
        );
    }
    for recipe in &catalogue.recipes {
        let name = recipe.name.as_deref().unwrap_or_default();
        let description = recipe.description.as_deref().unwrap_or_default();
        assert!(!description.is_empty(), "{name}: description");
    }
}

#[test]
fn algorithm_defaults_lie_within_their_ranges() {
    let catalogue = load();
    for algorithm in &catalogue.algorithms {
        let name = algorithm.name.as_deref().unwrap_or_default();
        let (Some(defaults), Some(ranges)) = (
            &algorithm.default_hyper_parameters,
            &algorithm.default_hyper_parameter_ranges,
        ) else {
            assert!(
                algorithm.default_hyper_parameters.is_none()
                    && algorithm.default_hyper_parameter_ranges.is_none(),
                "{name}: defaults without ranges or ranges without defaults"
            );
            continue;
        };
        let default = |parameter: &str| {
            defaults
                .get(parameter)
                .unwrap_or_else(|| panic!("{name}.{parameter}: a range but no default"))
        };
        let mut ranged = BTreeSet::new();
        let numeric = ranges
            .integer_hyper_parameter_ranges
            .iter()
            .flatten()
            .map(|r| {
                (
                    &r.name,
                    true,
                    r.min_value.map(f64::from),
                    r.max_value.map(f64::from),
                )
            })
            .chain(
                ranges
                    .continuous_hyper_parameter_ranges
                    .iter()
                    .flatten()
                    .map(|r| (&r.name, false, r.min_value, r.max_value)),
            );
        for (parameter, integer, min, max) in numeric {
            let parameter = parameter.as_deref().unwrap_or_default();
            ranged.insert(parameter);
            let value: f64 = default(parameter)
                .parse()
                .unwrap_or_else(|e| panic!("{name}.{parameter}: {e}"));
            assert!(
                !integer || value.fract() == 0.0,
                "{name}.{parameter}: default {value} is not an integer"
            );
            let (min, max) = min
                .zip(max)
                .unwrap_or_else(|| panic!("{name}.{parameter}: no minValue/maxValue"));
            assert!(
                min <= value && value <= max,
                "{name}.{parameter}: default {value} outside [{min}, {max}]"
            );
        }
        for range in ranges.categorical_hyper_parameter_ranges.iter().flatten() {
            let parameter = range.name.as_deref().unwrap_or_default();
            ranged.insert(parameter);
            let values = range.values.as_deref().unwrap_or_default();
            assert!(
                values.contains(default(parameter)),
                "{name}.{parameter}: default not among {values:?}"
            );
        }
        assert_eq!(
            ranged,
            defaults.keys().map(String::as_str).collect(),
            "{name}: every default has a range and every range a default"
        );
    }
}
