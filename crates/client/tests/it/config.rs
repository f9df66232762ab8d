//! Configuration: defaults, environment, validation of settings, credential redaction.

use std::collections::HashMap;
use std::time::Duration;

use personalize_client::{Config, ConfigBuilder, ConfigError, Credentials, RetryConfig};
use rstest::rstest;

/// An http endpoint, usable with and without the `rustls` feature.
const LOCAL: &str = "http://localhost:4566";

fn creds() -> Credentials {
    Credentials::new(
        "AKIDEXAMPLE",
        "secret-value",
        Some("token-value".to_owned()),
    )
}

/// A builder for us-east-1 with [`creds`] and the [`LOCAL`] endpoint.
fn local() -> ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .credentials(creds())
        .endpoint_url(LOCAL)
}

fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| map.get(name).cloned()
}

#[cfg(feature = "rustls")]
#[rstest]
#[case::us("us-east-1", "https://personalize.us-east-1.amazonaws.com/")]
#[case::eu("eu-west-1", "https://personalize.eu-west-1.amazonaws.com/")]
#[case::china("cn-north-1", "https://personalize.cn-north-1.amazonaws.com.cn/")]
fn default_endpoint_comes_from_the_region(#[case] region: &str, #[case] endpoint: &str) {
    let config = Config::builder()
        .region(region)
        .credentials(creds())
        .build()
        .unwrap();
    assert_eq!(config.endpoint().to_string(), endpoint);
    assert_eq!(config.region(), region);
}

#[cfg(feature = "rustls")]
#[test]
fn an_explicit_https_endpoint_is_accepted() {
    let config = Config::builder()
        .region("us-east-1")
        .credentials(creds())
        .endpoint_url("https://personalize.example.test:8443")
        .build()
        .unwrap();
    assert_eq!(
        config.endpoint().to_string(),
        "https://personalize.example.test:8443/"
    );
}

#[cfg(not(feature = "rustls"))]
#[rstest]
#[case::default_endpoint(None, "https://personalize.us-east-1.amazonaws.com")]
#[case::explicit(
    Some("https://personalize.example.test:8443"),
    "https://personalize.example.test:8443"
)]
fn https_without_the_rustls_feature_is_refused(
    #[case] endpoint_url: Option<&str>,
    #[case] expected_url: &str,
) {
    let mut builder = Config::builder().region("us-east-1").credentials(creds());
    if let Some(url) = endpoint_url {
        builder = builder.endpoint_url(url);
    }
    let error = builder.build().unwrap_err();
    assert_eq!(
        error,
        ConfigError::TlsNotEnabled {
            url: expected_url.to_owned()
        }
    );
    let message = error.to_string();
    assert!(message.contains(expected_url), "{message}");
    assert!(message.contains("`rustls` feature"), "{message}");
    assert!(message.contains("http://"), "{message}");
}

#[cfg(not(feature = "rustls"))]
#[test]
fn http_without_the_rustls_feature_is_accepted() {
    let config = local().build().unwrap();
    assert_eq!(config.endpoint().to_string(), "http://localhost:4566/");
}

#[test]
fn defaults() {
    let config = local().build().unwrap();
    assert_eq!(config.connect_timeout(), Duration::from_secs(3));
    assert_eq!(config.attempt_timeout(), Duration::from_secs(30));
    assert_eq!(config.operation_timeout(), None);
    assert_eq!(*config.retry(), RetryConfig::standard());
    assert!(!config.validate_before_send());
}

#[test]
fn credentials_debug_hides_secret_and_token() {
    let text = format!("{:?}", creds());
    assert!(text.contains("AKIDEXAMPLE"), "{text}");
    assert!(!text.contains("secret-value"), "{text}");
    assert!(!text.contains("token-value"), "{text}");
    let config = local().build().unwrap();
    let text = format!("{config:?}");
    assert!(
        !text.contains("secret-value") && !text.contains("token-value"),
        "{text}"
    );
}

#[test]
fn reads_the_environment() {
    let config = Config::builder()
        .load_env_from(env(&[
            ("AWS_REGION", "eu-central-1"),
            ("AWS_DEFAULT_REGION", "us-west-2"),
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_SESSION_TOKEN", "TOKEN"),
            ("AWS_ENDPOINT_URL", "http://localhost:4566"),
        ]))
        .build()
        .unwrap();
    assert_eq!(config.region(), "eu-central-1");
    assert_eq!(config.credentials().access_key_id(), "AKID");
    assert_eq!(config.credentials().secret_access_key(), "SECRET");
    assert_eq!(config.credentials().session_token(), Some("TOKEN"));
    assert_eq!(config.endpoint().to_string(), "http://localhost:4566/");
}

#[test]
fn default_region_and_service_specific_endpoint() {
    let config = Config::builder()
        .load_env_from(env(&[
            ("AWS_DEFAULT_REGION", "us-west-2"),
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_ENDPOINT_URL", "http://generic:1"),
            ("AWS_ENDPOINT_URL_PERSONALIZE", "http://specific:2"),
        ]))
        .build()
        .unwrap();
    assert_eq!(config.region(), "us-west-2");
    assert_eq!(config.credentials().session_token(), None);
    assert_eq!(config.endpoint().to_string(), "http://specific:2/");
}

#[test]
fn explicit_settings_win_over_the_environment() {
    let config = Config::builder()
        .region("ap-south-1")
        .credentials(Credentials::new("MINE", "MINE-SECRET", None))
        .endpoint_url(LOCAL)
        .load_env_from(env(&[
            ("AWS_REGION", "eu-central-1"),
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_SESSION_TOKEN", "TOKEN"),
            ("AWS_ENDPOINT_URL", "http://from-env:1"),
        ]))
        .build()
        .unwrap();
    assert_eq!(config.region(), "ap-south-1");
    assert_eq!(config.credentials().access_key_id(), "MINE");
    assert_eq!(config.credentials().session_token(), None);
    assert_eq!(config.endpoint().to_string(), "http://localhost:4566/");
}

#[test]
fn missing_region_and_credentials_are_reported() {
    assert_eq!(
        Config::builder().credentials(creds()).build().unwrap_err(),
        ConfigError::MissingRegion
    );
    let error = Config::builder()
        .load_env_from(env(&[("AWS_REGION", "us-east-1")]))
        .build()
        .unwrap_err();
    assert!(
        matches!(error, ConfigError::MissingCredentials(_)),
        "{error}"
    );
    assert!(error.to_string().contains("AWS_ACCESS_KEY_ID"), "{error}");
    let half = Config::builder()
        .load_env_from(env(&[
            ("AWS_REGION", "us-east-1"),
            ("AWS_ACCESS_KEY_ID", "AKID"),
        ]))
        .build()
        .unwrap_err();
    assert!(
        half.to_string().contains("without a secret access key"),
        "{half}"
    );
}

#[rstest]
#[case::ftp("ftp://example.com", "scheme 'ftp' is not http or https")]
#[case::no_scheme("example.com", "no scheme")]
#[case::query("https://example.com/?a=b", "a query string is not allowed")]
#[case::garbage("http://exa mple.com", "invalid")]
fn bad_endpoints_are_refused(#[case] url: &str, #[case] reason: &str) {
    let error = Config::builder()
        .region("us-east-1")
        .credentials(creds())
        .endpoint_url(url)
        .build()
        .unwrap_err();
    let ConfigError::InvalidEndpoint {
        url: got,
        reason: why,
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(got, url);
    assert!(why.to_lowercase().contains(reason), "{why}");
}

#[rstest]
#[case::space("us east 1")]
#[case::upper("US-EAST-1")]
#[case::slash("us-east-1/evil")]
#[case::empty("")]
fn bad_regions_are_refused(#[case] region: &str) {
    let error = Config::builder()
        .region(region)
        .credentials(creds())
        .build()
        .unwrap_err();
    assert_eq!(error, ConfigError::InvalidRegion(region.to_owned()));
}

#[test]
fn bad_retry_and_timeout_settings_are_refused() {
    let error = local()
        .retry(RetryConfig::standard().with_max_attempts(0))
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("retry.max_attempts"), "{error}");
    let error = local()
        .retry(
            RetryConfig::standard()
                .with_base_backoff(Duration::from_secs(5))
                .with_max_backoff(Duration::from_secs(1)),
        )
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("retry.base_backoff"), "{error}");
    let error = local().attempt_timeout(Duration::ZERO).build().unwrap_err();
    assert!(error.to_string().contains("attempt_timeout"), "{error}");
}
