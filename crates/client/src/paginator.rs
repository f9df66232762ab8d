//! Paginators: a `Stream` of pages following the operation's token, and a `Stream` of items.
//!
//! A paginator stops when a response carries no token, a `null` token or an empty token. When
//! the service returns the very token it was sent, the paginator yields that page and then
//! ends with [`PaginationError::RepeatedToken`] instead of asking for the same page forever.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use personalize_model::{Operation, Paginated};

use crate::client::Client;
use crate::error::{Error, PaginationError};

/// One page or the error that ended the stream.
pub type PageResult<O> = Result<<O as Operation>::Output, Error<<O as Operation>::Error>>;

/// One item or the error that ended the stream.
pub type ItemResult<O> = Result<<O as Paginated>::Item, Error<<O as Operation>::Error>>;

type PageFuture<O> = Pin<Box<dyn Future<Output = PageResult<O>> + Send>>;

enum State<O: Paginated> {
    /// The next request is ready to go.
    Ready,
    /// A page is being fetched; `sent` is the token it was requested with.
    Fetching {
        future: PageFuture<O>,
        sent: Option<String>,
    },
    /// The last page repeated its token: the error still to yield.
    Repeated(String),
    /// Nothing more to yield.
    Done,
}

/// A `Stream` of the pages of a paginated operation.
pub struct Paginator<O: Paginated> {
    client: Client,
    input: O::Input,
    state: State<O>,
}

// No field is ever pinned in place (the in-flight future is boxed), so moving is always fine.
impl<O: Paginated> Unpin for Paginator<O> {}

impl<O: Paginated> fmt::Debug for Paginator<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Ready => "ready",
            State::Fetching { .. } => "fetching",
            State::Repeated(_) => "repeated token",
            State::Done => "done",
        };
        f.debug_struct("Paginator")
            .field("operation", &O::NAME)
            .field("input", &self.input)
            .field("state", &state)
            .finish()
    }
}

impl<O: Paginated> Paginator<O> {
    /// A paginator starting with `input` (and its token, if set).
    pub fn new(client: Client, input: O::Input) -> Self {
        Self {
            client,
            input,
            state: State::Ready,
        }
    }

    /// Sets the page size member (`maxResults`) of every request.
    pub fn page_size(mut self, size: i32) -> Self {
        O::set_page_size(&mut self.input, Some(size));
        self
    }

    /// A `Stream` of the items of every page, in order.
    pub fn items(self) -> Items<O> {
        Items {
            pages: self,
            buffer: Vec::new().into_iter(),
        }
    }

    /// The next page, or `None` when the stream has ended.
    pub async fn next(&mut self) -> Option<PageResult<O>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every page, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<O::Output>, Error<O::Error>> {
        let mut pages = Vec::new();
        while let Some(page) = self.next().await {
            pages.push(page?);
        }
        Ok(pages)
    }

    fn start(&mut self) -> (PageFuture<O>, Option<String>) {
        let client = self.client.clone();
        let input = self.input.clone();
        let sent = O::input_token(&input).map(str::to_owned);
        (Box::pin(async move { client.call::<O>(input).await }), sent)
    }
}

impl<O: Paginated> Stream for Paginator<O> {
    type Item = PageResult<O>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match &mut this.state {
                State::Done => return Poll::Ready(None),
                State::Repeated(token) => {
                    let token = std::mem::take(token);
                    this.state = State::Done;
                    return Poll::Ready(Some(Err(Error::Pagination(
                        PaginationError::RepeatedToken {
                            operation: O::NAME,
                            token,
                        },
                    ))));
                }
                State::Ready => {
                    let (future, sent) = this.start();
                    this.state = State::Fetching { future, sent };
                }
                State::Fetching { future, sent } => {
                    let result = match future.as_mut().poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(result) => result,
                    };
                    let output = match result {
                        Ok(output) => output,
                        Err(error) => {
                            this.state = State::Done;
                            return Poll::Ready(Some(Err(error)));
                        }
                    };
                    let next = O::output_token(&output).filter(|t| !t.is_empty());
                    this.state = match next {
                        None => State::Done,
                        Some(token) if sent.as_deref() == Some(token) => {
                            State::Repeated(token.to_owned())
                        }
                        Some(token) => {
                            O::set_input_token(&mut this.input, Some(token.to_owned()));
                            State::Ready
                        }
                    };
                    return Poll::Ready(Some(Ok(output)));
                }
            }
        }
    }
}

/// A `Stream` of the items of every page of a paginated operation.
pub struct Items<O: Paginated> {
    pages: Paginator<O>,
    buffer: std::vec::IntoIter<O::Item>,
}

impl<O: Paginated> Unpin for Items<O> {}

impl<O: Paginated> fmt::Debug for Items<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

impl<O: Paginated> Items<O> {
    /// The next item, or `None` when the stream has ended.
    pub async fn next(&mut self) -> Option<ItemResult<O>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every item, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<O::Item>, Error<O::Error>> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }
}

impl<O: Paginated> Stream for Items<O> {
    type Item = ItemResult<O>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(page))) => {
                    this.buffer = O::into_items(page).into_iter();
                }
            }
        }
    }
}
