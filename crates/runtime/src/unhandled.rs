//! The error of an operation whose code the operation's model does not list. It is opaque
//! (private fields, read through [`Unhandled::code`] and [`Unhandled::message`]), as smithy-rs
//! makes it, so that a later model listing one more error is not a breaking change: code that
//! wants one particular error matches on its code, never on the fields of this type.

use std::fmt;

/// An error code the operation's model does not list, with the message that came with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unhandled {
    code: String,
    message: Option<String>,
}

impl Unhandled {
    /// An unhandled error with this code (stripped of namespace) and message.
    #[doc(hidden)]
    pub fn new(code: &str, message: Option<String>) -> Self {
        Self {
            code: code.to_owned(),
            message,
        }
    }

    /// The error code, stripped of namespace (`ThrottlingException`, or the HTTP status when
    /// the response named no code).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The message, if the response had one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

impl fmt::Display for Unhandled {
    /// `code`, or `code: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Unhandled {}
