//! [`limit`]: a documented route group's rate limit, in the router and in the OpenAPI
//! document (each of its operations gains the 429 response and its headers).

use utoipa::openapi::{
    ContentBuilder, Header, Object, PathItem, Ref, RefOr, Response, ResponseBuilder, Type,
};
use utoipa_axum::router::OpenApiRouter;

use super::{Bucket, layer};

/// Limits every route of `router` as `bucket` and documents the 429 on each of them:
/// `.merge(rate_limit::limit(oauth::routes(), Bucket::Token))`.
pub fn limit<S>(mut router: OpenApiRouter<S>, bucket: Bucket) -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    let documented = too_many_requests();
    for item in router.get_openapi_mut().paths.paths.values_mut() {
        for operation in operations(item) {
            operation
                .responses
                .responses
                .entry("429".to_owned())
                .or_insert_with(|| documented.clone());
        }
    }
    router.route_layer(layer(bucket))
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.patch,
        &mut item.head,
    ]
    .into_iter()
    .flatten()
}

fn too_many_requests() -> RefOr<Response> {
    let seconds = |what: &str| {
        let mut header = Header::new(Object::with_type(Type::Integer));
        header.description = Some(what.to_owned());
        header
    };
    ResponseBuilder::new()
        .description("`rate_limited`: a rate limit is used up; retry after `Retry-After` seconds")
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .header("Retry-After", seconds("seconds to wait"))
        .header("RateLimit-Limit", seconds("the bucket's size"))
        .header("RateLimit-Remaining", seconds("requests left (0)"))
        .header(
            "RateLimit-Reset",
            seconds("seconds until the bucket is full again"),
        )
        .build()
        .into()
}
