//! Client configuration: region, endpoint, credentials, timeouts, retries and local validation.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::Uri;
use personalize_model::service::SERVICE;

use crate::retry::{Jitter, RandomJitter, RetryConfig};
use crate::time::{Sleep, SystemClock, TimeSource, TokioSleep};

/// Default time allowed to open a TCP (and TLS) connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// Default time allowed for one attempt, from sending the request to reading the whole response.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);

/// AWS credentials used to sign requests. `Debug` never prints the secret or the session token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
}

impl Credentials {
    /// Long-term or temporary credentials (`session_token` for temporary ones).
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
        }
    }

    /// The access key id (`AKIA...`, `ASIA...`).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .finish()
    }
}

/// A configuration that cannot be used, and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No region was given (set it, or `AWS_REGION` / `AWS_DEFAULT_REGION`).
    #[error("no region configured: call .region(..) or set AWS_REGION or AWS_DEFAULT_REGION")]
    MissingRegion,
    /// The region is not a plausible AWS region name.
    #[error("region '{0}' is not valid: expected lower-case letters, digits and '-' (such as us-east-1)")]
    InvalidRegion(String),
    /// No credentials were given, or only half of them.
    #[error("no credentials configured: {0}")]
    MissingCredentials(&'static str),
    /// The endpoint URL cannot be used.
    #[error("endpoint URL '{url}' is not valid: {reason}")]
    InvalidEndpoint {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The endpoint is `https://` (the default endpoints are), but this build of the crate has no
    /// TLS: its `rustls` feature (on by default) is off.
    #[error("endpoint URL '{url}' needs TLS, but personalize-client was built without its `rustls` feature: enable the feature (it is on by default) or use an http:// endpoint")]
    TlsNotEnabled {
        /// The URL as given (or the default endpoint).
        url: String,
    },
    /// A retry or timeout setting is out of range.
    #[error("invalid setting {setting}: {reason}")]
    InvalidSetting {
        /// The setting's name.
        setting: &'static str,
        /// What is wrong with it.
        reason: String,
    },
}

/// Settings of a [`Client`](crate::Client). Build with [`Config::builder`] or [`Config::from_env`].
#[derive(Clone, Debug)]
pub struct Config {
    pub(crate) region: String,
    pub(crate) endpoint: Uri,
    pub(crate) credentials: Credentials,
    pub(crate) connect_timeout: Duration,
    pub(crate) attempt_timeout: Duration,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) retry: RetryConfig,
    pub(crate) validate_before_send: bool,
    pub(crate) time_source: Arc<dyn TimeSource>,
    pub(crate) sleep: Arc<dyn Sleep>,
    pub(crate) jitter: Arc<dyn Jitter>,
}

impl Config {
    /// A builder with nothing set.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A configuration read from `AWS_REGION`/`AWS_DEFAULT_REGION`, `AWS_ACCESS_KEY_ID`,
    /// `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` and `AWS_ENDPOINT_URL_PERSONALIZE`/`AWS_ENDPOINT_URL`.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::builder().load_env().build()
    }

    /// The region requests are signed for.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The endpoint requests are sent to.
    pub fn endpoint(&self) -> &Uri {
        &self.endpoint
    }

    /// The credentials requests are signed with.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Time allowed to open a connection.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// Time allowed for one attempt (send and read the whole response).
    pub fn attempt_timeout(&self) -> Duration {
        self.attempt_timeout
    }

    /// Time allowed for the whole call, retries and backoff included, if limited.
    pub fn operation_timeout(&self) -> Option<Duration> {
        self.operation_timeout
    }

    /// The retry settings.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// Whether inputs are checked against the model's constraints before sending.
    pub fn validate_before_send(&self) -> bool {
        self.validate_before_send
    }

    /// The clock used to sign requests.
    pub fn time_source(&self) -> &Arc<dyn TimeSource> {
        &self.time_source
    }
}

/// Builder for [`Config`].
#[derive(Clone, Debug, Default)]
pub struct ConfigBuilder {
    region: Option<String>,
    endpoint_url: Option<String>,
    access_key_id: Option<String>,
    secret_access_key: Option<String>,
    session_token: Option<String>,
    connect_timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    retry: Option<RetryConfig>,
    validate_before_send: bool,
    time_source: Option<Arc<dyn TimeSource>>,
    sleep: Option<Arc<dyn Sleep>>,
    jitter: Option<Arc<dyn Jitter>>,
}

impl ConfigBuilder {
    /// The region (`us-east-1`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The endpoint URL; default `https://personalize.{region}.amazonaws.com`.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// The credentials to sign with.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.access_key_id = Some(credentials.access_key_id);
        self.secret_access_key = Some(credentials.secret_access_key);
        self.session_token = credentials.session_token;
        self
    }

    /// Time allowed to open a connection (default 3 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for one attempt, from sending to having read the whole response (default 30 s).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Time allowed for the whole call, retries included (default: unlimited).
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// Retry settings (default: standard mode, 3 attempts, backoff 1 s base, 20 s cap).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Check every input against the model's constraints before sending (default: off, as
    /// Smithy prescribes for clients; the service is where constraints are enforced).
    pub fn validate_before_send(mut self, enabled: bool) -> Self {
        self.validate_before_send = enabled;
        self
    }

    /// The clock to sign with (default: [`SystemClock`]).
    pub fn time_source(mut self, time_source: impl TimeSource + 'static) -> Self {
        self.time_source = Some(Arc::new(time_source));
        self
    }

    /// How to wait out the backoff between attempts (default: [`TokioSleep`]).
    pub fn sleep(mut self, sleep: impl Sleep + 'static) -> Self {
        self.sleep = Some(Arc::new(sleep));
        self
    }

    /// Where the backoff's jitter comes from (default: [`RandomJitter`]).
    pub fn jitter(mut self, jitter: impl Jitter + 'static) -> Self {
        self.jitter = Some(Arc::new(jitter));
        self
    }

    /// Fills every field not set yet from the process environment (see [`Config::from_env`]).
    pub fn load_env(self) -> Self {
        self.load_env_from(|name| std::env::var(name).ok())
    }

    /// Fills every field not set yet from `lookup` (a stand-in for the environment).
    pub fn load_env_from(mut self, lookup: impl Fn(&str) -> Option<String>) -> Self {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        if self.region.is_none() {
            self.region = get("AWS_REGION").or_else(|| get("AWS_DEFAULT_REGION"));
        }
        if self.endpoint_url.is_none() {
            let specific = format!(
                "AWS_ENDPOINT_URL_{}",
                SERVICE.sdk_id.to_ascii_uppercase().replace(' ', "_")
            );
            self.endpoint_url = get(&specific).or_else(|| get("AWS_ENDPOINT_URL"));
        }
        if self.access_key_id.is_none() && self.secret_access_key.is_none() {
            self.access_key_id = get("AWS_ACCESS_KEY_ID");
            self.secret_access_key = get("AWS_SECRET_ACCESS_KEY");
            self.session_token = get("AWS_SESSION_TOKEN");
        }
        self
    }

    /// Checks the settings and builds the configuration.
    pub fn build(self) -> Result<Config, ConfigError> {
        let region = self.region.ok_or(ConfigError::MissingRegion)?;
        if region.is_empty()
            || !region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(ConfigError::InvalidRegion(region));
        }
        let credentials = match (self.access_key_id, self.secret_access_key) {
            (Some(id), Some(secret)) => Credentials::new(id, secret, self.session_token),
            (None, None) => {
                return Err(ConfigError::MissingCredentials(
                    "call .credentials(..) or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
                ))
            }
            (Some(_), None) => {
                return Err(ConfigError::MissingCredentials(
                    "an access key id was given without a secret access key",
                ))
            }
            (None, Some(_)) => {
                return Err(ConfigError::MissingCredentials(
                    "a secret access key was given without an access key id",
                ))
            }
        };
        let url = self
            .endpoint_url
            .unwrap_or_else(|| default_endpoint(&region));
        let endpoint = parse_endpoint(&url)?;
        let retry = self.retry.unwrap_or_default();
        check_retry(&retry)?;
        for (setting, value) in [
            ("connect_timeout", self.connect_timeout),
            ("attempt_timeout", self.attempt_timeout),
            ("operation_timeout", self.operation_timeout),
        ] {
            if value == Some(Duration::ZERO) {
                return Err(ConfigError::InvalidSetting {
                    setting,
                    reason: "must be greater than zero".to_owned(),
                });
            }
        }
        Ok(Config {
            region,
            endpoint,
            credentials,
            connect_timeout: self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
            attempt_timeout: self.attempt_timeout.unwrap_or(DEFAULT_ATTEMPT_TIMEOUT),
            operation_timeout: self.operation_timeout,
            retry,
            validate_before_send: self.validate_before_send,
            time_source: self.time_source.unwrap_or_else(|| Arc::new(SystemClock)),
            sleep: self.sleep.unwrap_or_else(|| Arc::new(TokioSleep)),
            jitter: self.jitter.unwrap_or_else(|| Arc::new(RandomJitter)),
        })
    }
}

/// Checks the retry settings: at least one attempt, a base no larger than the cap.
fn check_retry(retry: &RetryConfig) -> Result<(), ConfigError> {
    if retry.max_attempts() == 0 {
        return Err(ConfigError::InvalidSetting {
            setting: "retry.max_attempts",
            reason: "must be at least 1 (1 means no retries)".to_owned(),
        });
    }
    if retry.base_backoff() > retry.max_backoff() {
        return Err(ConfigError::InvalidSetting {
            setting: "retry.base_backoff",
            reason: format!(
                "{:?} exceeds max_backoff {:?}",
                retry.base_backoff(),
                retry.max_backoff()
            ),
        });
    }
    Ok(())
}

/// `https://{endpoint_prefix}.{region}.amazonaws.com` (`.com.cn` in the China regions).
fn default_endpoint(region: &str) -> String {
    let suffix = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    format!("https://{}.{region}.{suffix}", SERVICE.endpoint_prefix)
}

/// Parses an endpoint URL: `http` or `https` (with the `rustls` feature), a host, no query.
fn parse_endpoint(url: &str) -> Result<Uri, ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidEndpoint {
        url: url.to_owned(),
        reason: reason.to_owned(),
    };
    let uri: Uri = url
        .parse()
        .map_err(|e: http::uri::InvalidUri| invalid(&e.to_string()))?;
    match uri.scheme_str() {
        Some("http") | Some("https") => {}
        Some(other) => return Err(invalid(&format!("scheme '{other}' is not http or https"))),
        None => return Err(invalid("no scheme (expected http:// or https://)")),
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(invalid("no host"));
    }
    if uri.query().is_some() {
        return Err(invalid("a query string is not allowed"));
    }
    if uri.scheme_str() == Some("https") && !cfg!(feature = "rustls") {
        return Err(ConfigError::TlsNotEnabled {
            url: url.to_owned(),
        });
    }
    Ok(uri)
}
