//! Building responses: files with their caching headers, the 404 page, redirects and
//! short plain-text answers for errors and refusals.

use super::body::Body;
use super::http;
use super::reload;
use super::site::Site;
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderName, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};

/// Sends a file, or 304 when the client has it already.
pub fn send(
    request: &Request<Incoming>,
    content_type: &'static str,
    etag: &str,
    body: Bytes,
) -> Response<Body> {
    let fresh = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|tags| tags.to_str().ok())
        .is_some_and(|tags| http::etag_matches(tags, etag));
    let cache = [
        (header::ETAG, HeaderValue::from_str(etag).unwrap_or(HeaderValue::from_static("\"\""))),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    ];
    if fresh {
        return with_headers(with_status(StatusCode::NOT_MODIFIED, Body::empty()), cache);
    }
    let response = with_headers(with_status(StatusCode::OK, Body::empty()), cache);
    with_content(response, content_type, body, request.method() == Method::HEAD)
}

pub fn not_found(site: &Site, head: bool) -> Response<Body> {
    let page = match site.get("404.html") {
        Some(page) => reload::inject(&page.bytes),
        None => reload::inject(b"<!doctype html><title>Not found</title><h1>Not found</h1>"),
    };
    let response = with_headers(
        with_status(StatusCode::NOT_FOUND, Body::empty()),
        [
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        ],
    );
    with_content(response, "text/html; charset=utf-8", Bytes::from(page), head)
}

pub fn redirect(location: &str) -> Response<Body> {
    let Ok(location) = HeaderValue::from_str(location) else {
        return text(StatusCode::BAD_REQUEST, "Unusable path.\n");
    };
    with_headers(
        with_status(StatusCode::MOVED_PERMANENTLY, Body::empty()),
        [
            (header::LOCATION, location),
            (header::CONTENT_LENGTH, HeaderValue::from(0)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
    )
}

/// A short plain-text answer (errors and refusals).
pub fn text(status: StatusCode, message: &str) -> Response<Body> {
    let response = with_headers(
        with_status(status, Body::empty()),
        [
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        ],
    );
    with_content(response, "text/plain; charset=utf-8", Bytes::from(message.to_string()), false)
}

pub fn with_status(status: StatusCode, body: Body) -> Response<Body> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response
}

pub fn with_headers<const N: usize>(
    mut response: Response<Body>,
    headers: [(HeaderName, HeaderValue); N],
) -> Response<Body> {
    response.headers_mut().extend(headers);
    response
}

/// Sets the body with its type and length; a response to HEAD keeps the length, not the
/// bytes.
pub fn with_content(
    mut response: Response<Body>,
    content_type: &'static str,
    body: Bytes,
    head: bool,
) -> Response<Body> {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    if !head {
        *response.body_mut() = Body::bytes(body);
    }
    response
}

/// Marks the response as the connection's last.
pub fn closing(mut response: Response<Body>) -> Response<Body> {
    response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}
