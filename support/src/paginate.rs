//! Turns a page fetcher into a stream of items.
//!
//! The vendor logic (page numbers, cursors, `links.next` URLs) stays in
//! generated code; this module only drives it.

use std::future::Future;

pub use futures_util::Stream;
use futures_util::stream::{self, StreamExt as _};

/// Streams every item of every page, fetching the next page lazily.
///
/// `fetch` gets the state of the page to load and returns that page's items
/// and the state of the next page, or `None` on the last page. The stream
/// ends after the first error, which it yields.
///
/// ```
/// # use futures_util::StreamExt as _;
/// # use mailapi_support::paginate::paginate;
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let pages = paginate(1_u32, |page| async move {
///     let next = (page < 3).then_some(page + 1);
///     Ok::<_, ()>((vec![page * 10, page * 10 + 1], next))
/// });
/// let items: Vec<_> = pages.map(Result::unwrap).collect().await;
/// assert_eq!(items, [10, 11, 20, 21, 30, 31]);
/// # });
/// ```
pub fn paginate<T, S, E, F, Fut>(first: S, fetch: F) -> impl Stream<Item = Result<T, E>>
where
    F: FnMut(S) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<S>), E>>,
{
    let pages = stream::unfold(Some((first, fetch)), |state| async move {
        let (page, mut fetch) = state?;
        match fetch(page).await {
            Ok((items, Some(next))) => Some((Ok(items), Some((next, fetch)))),
            Ok((items, None)) => Some((Ok(items), None)),
            Err(err) => Some((Err(err), None)),
        }
    });
    pages.flat_map(|page| {
        let items: Vec<Result<T, E>> = match page {
            Ok(items) => items.into_iter().map(Ok).collect(),
            Err(err) => vec![Err(err)],
        };
        stream::iter(items)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stops_after_last_page_and_skips_empty_pages() {
        let mut calls = Vec::new();
        let items: Vec<Result<u32, ()>> = paginate(0_u32, |page| {
            calls.push(page);
            async move {
                let items = if page == 1 { vec![] } else { vec![page] };
                Ok((items, (page < 2).then_some(page + 1)))
            }
        })
        .collect()
        .await;
        assert_eq!(items, [Ok(0), Ok(2)]);
        assert_eq!(calls, [0, 1, 2]);
    }

    #[tokio::test]
    async fn yields_the_error_and_ends() {
        let items: Vec<Result<u32, String>> = paginate(0_u32, |page| async move {
            if page == 1 { Err("boom".to_owned()) } else { Ok((vec![7], Some(page + 1))) }
        })
        .collect()
        .await;
        assert_eq!(items, [Ok(7), Err("boom".to_owned())]);
    }
}
