//! Every operation of the service, by name: a dispatch table from an operation's name to a
//! generic function instantiated for its generated `Operation` type, built by
//! `personalize_model::for_each_operation!` (so it follows the model, never a hand-kept list),
//! and what the harness reads off the generated metadata (resource ARN members, List items).

use personalize_model::service::{operation, OPERATION_METAS};
use personalize_model::{Operation, OperationMeta, ValueKind};

/// Something done once per operation, generic over its generated type.
pub trait OperationVisitor {
    /// What the visit yields.
    type Output;
    /// Does it for operation `O`.
    fn visit<O: Operation>(self) -> Self::Output;
}

macro_rules! name_table {
    ($($name:ident($module:ident)),* $(,)?) => {
        /// Calls `visitor.visit::<O>()` for the operation named `name` (`CreateDatasetGroup`);
        /// `None` when the service has no such operation.
        pub fn visit<V: OperationVisitor>(name: &str, visitor: V) -> Option<V::Output> {
            match name {
                $(stringify!($name) => Some(
                    visitor.visit::<personalize_model::operation::$module::$name>(),
                ),)*
                _ => None,
            }
        }
    };
}

personalize_model::for_each_operation!(name_table);

/// Every operation name, sorted.
pub fn names() -> impl Iterator<Item = &'static str> {
    OPERATION_METAS.iter().map(|op| op.name)
}

/// The resource noun of an operation family (`CreateDatasetGroup` → `DatasetGroup`,
/// `ListDatasetGroups` → `DatasetGroup`), when the name has a family verb.
pub fn noun(name: &str) -> Option<&str> {
    let rest = ["Create", "Describe", "Delete", "Update", "Start", "Stop"]
        .iter()
        .find_map(|verb| name.strip_prefix(verb));
    match rest {
        Some(rest) => Some(rest),
        None => name.strip_prefix("List")?.strip_suffix('s'),
    }
}

/// The `Create<Noun>` operation making the resources listed under a List output's items
/// member (`datasetGroups` → `CreateDatasetGroup`), found through the List operation's
/// pagination trait.
pub fn create_for_items(items: &str) -> Option<&'static OperationMeta> {
    let list = OPERATION_METAS
        .iter()
        .find(|op| op.name.starts_with("List") && items_member(op) == Some(items))?;
    operation(&format!("Create{}", noun(list.name)?))
}

/// The `Describe<Noun>` of a Create operation.
pub fn describe_for(create: &OperationMeta) -> Option<&'static OperationMeta> {
    operation(&format!("Describe{}", noun(create.name)?))
}

/// The member of a Create output naming the new resource (`datasetGroupArn`).
pub fn created_arn_member(create: &OperationMeta) -> Option<&'static str> {
    let own = own_arn_member(create)?;
    create.output.member(&own).map(|m| m.name)
}

/// `<noun>Arn` of an operation's family (`CreateDatasetGroup` → `datasetGroupArn`).
pub fn own_arn_member(op: &OperationMeta) -> Option<String> {
    let noun = noun(op.name)?;
    let mut chars = noun.chars();
    let first = chars.next()?;
    Some(format!(
        "{}{}Arn",
        first.to_ascii_lowercase(),
        chars.as_str()
    ))
}

/// The structure member of a Describe output that holds the resource (`datasetGroup`).
pub fn described_member(describe: &OperationMeta) -> Option<&'static str> {
    describe
        .output
        .members
        .iter()
        .find(|m| matches!(m.kind, ValueKind::Structure(_)))
        .map(|m| m.name)
}

/// The member of a List output holding its items (a list of structures: `datasetGroups`).
pub fn items_member(list: &OperationMeta) -> Option<&'static str> {
    list.output
        .members
        .iter()
        .find(|m| matches!(m.kind, ValueKind::List(ValueKind::Structure(_))))
        .map(|m| m.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Name;
    impl OperationVisitor for Name {
        type Output = &'static str;
        fn visit<O: Operation>(self) -> &'static str {
            O::NAME
        }
    }

    #[test]
    fn every_operation_is_in_the_table_under_its_own_name() {
        for name in names() {
            assert_eq!(visit(name, Name), Some(name));
        }
        assert_eq!(visit("Nope", Name), None);
        assert_eq!(names().count(), OPERATION_METAS.len());
    }

    #[test]
    fn families_are_read_off_the_metadata() {
        let create = create_for_items("datasetGroups").unwrap();
        assert_eq!(create.name, "CreateDatasetGroup");
        assert_eq!(created_arn_member(create), Some("datasetGroupArn"));
        let describe = describe_for(create).unwrap();
        assert_eq!(described_member(describe), Some("datasetGroup"));
        assert_eq!(
            create_for_items("schemas").map(|o| o.name),
            Some("CreateSchema")
        );
        assert_eq!(noun("ListBatchSegmentJobs"), Some("BatchSegmentJob"));
    }
}
