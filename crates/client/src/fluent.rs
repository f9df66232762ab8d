//! The generic fluent builder: a client plus an operation's input, sent with `send()`.
//!
//! The per-operation parts (one `Client` method per operation, one setter per input member)
//! are generated into `generated/fluent.rs`.

use personalize_model::{Operation, Paginated};

use crate::client::Client;
use crate::error::Error;
use crate::paginator::Paginator;

/// A call to operation `O` being put together.
#[derive(Clone, Debug)]
pub struct FluentBuilder<O: Operation> {
    pub(crate) client: Client,
    pub(crate) input: O::Input,
}

impl<O: Operation> FluentBuilder<O> {
    /// A builder with an empty input.
    pub fn new(client: Client) -> Self {
        Self {
            client,
            input: O::Input::default(),
        }
    }

    /// The input as set so far.
    pub fn as_input(&self) -> &O::Input {
        &self.input
    }

    /// Replaces the whole input (such as one built with the input's own builder).
    pub fn set_input(mut self, input: O::Input) -> Self {
        self.input = input;
        self
    }

    /// Sends the request, with retries, and returns the parsed output or error.
    pub async fn send(self) -> Result<O::Output, Error<O::Error>> {
        self.client.call::<O>(self.input).await
    }
}

impl<O: Paginated> FluentBuilder<O> {
    /// A stream of pages, starting from the input's token (if any).
    pub fn into_paginator(self) -> Paginator<O> {
        Paginator::new(self.client, self.input)
    }
}
