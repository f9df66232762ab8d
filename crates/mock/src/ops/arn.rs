//! What a Personalize or IAM ARN must look like beyond the model's loose patterns, and the
//! ARN a created batch segment job gets.

use personalize_model::validation::{Rule, Validator};

/// The solution version ARN form checked on `solutionVersionArn` (shown in messages; the
/// check below implements it): partition, region, 12-digit account, `solution/NAME/VERSION`.
pub const SOLUTION_VERSION_ARN: &str =
    "^arn:aws[a-z-]*:personalize:[a-z]+(-[a-z]+)+-[0-9]+:[0-9]{12}:solution/[a-zA-Z0-9][a-zA-Z0-9\\-_]*/[a-zA-Z0-9\\-_]+$";

/// The filter ARN form checked on `filterArn`.
pub const FILTER_ARN: &str =
    "^arn:aws[a-z-]*:personalize:[a-z]+(-[a-z]+)+-[0-9]+:[0-9]{12}:filter/[a-zA-Z0-9][a-zA-Z0-9\\-_]*$";

/// Partition, region and account of a Personalize ARN, and its resource part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PersonalizeArn<'a> {
    /// `aws`, `aws-cn`, `aws-us-gov`, ...
    pub partition: &'a str,
    /// `us-east-1`, ...
    pub region: &'a str,
    /// 12 digits.
    pub account: &'a str,
    /// Everything after the account (`solution/NAME/VERSION`).
    pub resource: &'a str,
}

/// Splits `arn:PARTITION:personalize:REGION:ACCOUNT:RESOURCE` when each part looks right.
pub fn parse_personalize(arn: &str) -> Option<PersonalizeArn<'_>> {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(partition), Some("personalize"), Some(region), Some(account)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    let resource = parts.next()?;
    let ok = is_partition(partition) && is_region(region) && is_account(account);
    ok.then_some(PersonalizeArn {
        partition,
        region,
        account,
        resource,
    })
}

fn is_partition(text: &str) -> bool {
    text.starts_with("aws") && text.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
}

/// `us-east-1`, `us-gov-west-1`, `ap-southeast-2`: letter groups, then a number.
fn is_region(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    let Some((number, letters)) = groups.split_last() else {
        return false;
    };
    letters.len() >= 2
        && letters
            .iter()
            .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_lowercase()))
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
}

fn is_account(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// A Personalize resource name: `[a-zA-Z0-9][a-zA-Z0-9\-_]*`, 1..=63 characters.
fn is_name(text: &str) -> bool {
    let mut bytes = text.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphanumeric())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && text.len() <= 63
}

/// The solution version ARN's parts, when it has the [`SOLUTION_VERSION_ARN`] form.
pub fn solution_version(arn: &str) -> Option<PersonalizeArn<'_>> {
    let parsed = parse_personalize(arn)?;
    let rest = parsed.resource.strip_prefix("solution/")?;
    let (name, version) = rest.split_once('/')?;
    let version_ok = !version.is_empty()
        && version
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (is_name(name) && version_ok).then_some(parsed)
}

/// Whether the ARN has the [`FILTER_ARN`] form.
pub fn is_filter(arn: &str) -> bool {
    parse_personalize(arn)
        .and_then(|p| p.resource.strip_prefix("filter/"))
        .is_some_and(is_name)
}

/// The partition of an IAM role ARN (`arn:PARTITION:iam::ACCOUNT:role/...`).
pub fn role_partition(arn: &str) -> Option<&str> {
    let rest = arn.strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(':')?;
    rest.starts_with("iam::").then_some(partition)
}

/// The ARN AWS gives a batch segment job named `name` in the solution version's partition,
/// region and account.
pub fn batch_segment_job(solution_version: &PersonalizeArn<'_>, name: &str) -> String {
    format!(
        "arn:{}:personalize:{}:{}:batch-segment-job/{name}",
        solution_version.partition, solution_version.region, solution_version.account
    )
}

/// Checks the ARNs of a `CreateBatchSegmentJob` input that already satisfies the model;
/// records a pattern violation for each that does not look right.
pub fn check(
    v: &mut Validator,
    solution_version_arn: &str,
    role_arn: &str,
    filter_arn: Option<&str>,
) {
    let solution = solution_version(solution_version_arn);
    if solution.is_none() {
        v.at("solutionVersionArn", |v| {
            v.violation(
                Rule::Pattern(SOLUTION_VERSION_ARN),
                Some(solution_version_arn.to_owned()),
            )
        });
    }
    if let (Some(solution), Some(partition)) = (solution, role_partition(role_arn)) {
        if partition != solution.partition {
            v.at("roleArn", |v| {
                v.violation(Rule::Pattern(ROLE_IN_PARTITION), Some(role_arn.to_owned()))
            });
        }
    }
    if let Some(filter) = filter_arn.filter(|f| !is_filter(f)) {
        v.at("filterArn", |v| {
            v.violation(Rule::Pattern(FILTER_ARN), Some(filter.to_owned()))
        });
    }
}

/// Shown when the role is in another partition than the solution version.
const ROLE_IN_PARTITION: &str =
    "^arn:<partition of solutionVersionArn>:iam::[0-9]{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+$";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solution_versions() {
        let ok = "arn:aws:personalize:us-east-1:123456789012:solution/movies/7c1b2a3d";
        let parsed = solution_version(ok).unwrap();
        assert_eq!(
            (parsed.partition, parsed.region, parsed.account),
            ("aws", "us-east-1", "123456789012")
        );
        assert!(solution_version(
            "arn:aws-cn:personalize:cn-north-1:123456789012:solution/a_b-c/1"
        )
        .is_some());
        assert!(solution_version(
            "arn:aws-us-gov:personalize:us-gov-west-1:123456789012:solution/s/v"
        )
        .is_some());
        for bad in [
            "arn:aws:personalize:us-east-1:123456789012:solution/movies",
            "arn:aws:personalize:us-east-1:123456789012:solution/movies/",
            "arn:aws:personalize:us-east-1:123456789012:solution//v1",
            "arn:aws:personalize:us-east-1:123456789012:campaign/movies/v1",
            "arn:aws:personalize:us-east-1:1234:solution/movies/v1",
            "arn:aws:personalize:useast1:123456789012:solution/movies/v1",
            "arn:aws:personalize::123456789012:solution/movies/v1",
            "arn:foo:personalize:us-east-1:123456789012:solution/movies/v1",
            "arn:aws:personalize:us-east-1:123456789012:solution/movies/v1/extra",
            "arn:aws:s3:us-east-1:123456789012:solution/movies/v1",
        ] {
            assert!(solution_version(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn job_arn_takes_partition_region_and_account_of_the_solution_version() {
        let sv = solution_version("arn:aws-cn:personalize:cn-north-1:123456789012:solution/s/1")
            .unwrap();
        assert_eq!(
            batch_segment_job(&sv, "job-1"),
            "arn:aws-cn:personalize:cn-north-1:123456789012:batch-segment-job/job-1"
        );
    }

    #[test]
    fn filters_and_roles() {
        assert!(is_filter(
            "arn:aws:personalize:us-east-1:123456789012:filter/no-watched"
        ));
        assert!(!is_filter(
            "arn:aws:personalize:us-east-1:123456789012:solution/s/1"
        ));
        assert_eq!(
            role_partition("arn:aws:iam::123456789012:role/R"),
            Some("aws")
        );
        assert_eq!(role_partition("arn:aws:s3:::bucket"), None);
    }

    #[test]
    fn check_reports_each_bad_arn_at_its_member() {
        let mut v = Validator::new();
        check(
            &mut v,
            "arn:aws:personalize:us-east-1:123456789012:solution/s",
            "arn:aws-cn:iam::123456789012:role/R",
            Some("arn:aws:personalize:us-east-1:123456789012:filter/"),
        );
        let text = v.finish().unwrap_err().to_string();
        assert!(text.starts_with("2 validation errors detected"), "{text}");
        assert!(text.contains("at 'solutionVersionArn'"), "{text}");
        assert!(text.contains("at 'filterArn'"), "{text}");

        let mut v = Validator::new();
        check(
            &mut v,
            "arn:aws:personalize:us-east-1:123456789012:solution/s/1",
            "arn:aws-cn:iam::123456789012:role/R",
            None,
        );
        let text = v.finish().unwrap_err().to_string();
        assert!(text.contains("at 'roleArn'"), "{text}");
    }
}
