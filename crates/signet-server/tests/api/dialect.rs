//! The vendor dialects (`docs/dialects.md`). Each dialect's module replays its document's
//! examples against the real server and proves account isolation on every one of its routes;
//! [`every_dialect_route_has_an_isolation_case`] holds the dialects to that, route by route,
//! against the table the server's router is built from.

mod acronis;
mod auco;
mod ignisign;
mod okdokument;
mod stiply;

use signet_api::dialect::{DialectRoute, route_table};

/// The routes (method, path template as mounted) whose cross-account behaviour a dialect's
/// isolation test exercises.
type Isolated = &'static [(&'static str, &'static str)];

/// Every dialect's isolated routes.
const ISOLATED: &[Isolated] = &[
    stiply::isolation::ROUTES,
    ignisign::ISOLATED,
    auco::ROUTES,
    okdokument::ROUTES,
    acronis::ROUTES,
];

#[test]
fn every_dialect_route_has_an_isolation_case() {
    let covered = |route: &DialectRoute| {
        ISOLATED
            .iter()
            .flat_map(|d| d.iter())
            .any(|(method, path)| route.method.as_str() == *method && route.path == *path)
    };
    let forgotten: Vec<String> = route_table()
        .iter()
        .filter(|r| !covered(r))
        .map(|r| format!("{} {} ({})", r.method, r.path, r.dialect))
        .collect();
    assert!(
        forgotten.is_empty(),
        "dialect routes without an isolation case: {forgotten:#?}"
    );
}
