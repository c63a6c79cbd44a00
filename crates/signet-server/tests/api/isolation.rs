//! Tenant isolation over every route. Account B builds a draft, an envelope in progress and a
//! sealed one; account A's credential is then tried on every route of the table in
//! `isolation/routes.rs` (checked against the served OpenAPI document, so a new route cannot be
//! forgotten) with B's ids: 404 `not_found`, the same answer as for ids that don't exist, and
//! nothing of B in the body; B's data is unchanged afterwards. The same table says which scope
//! each route needs, and signing tokens reach only their own envelope.

mod oauth;
mod request;
mod routes;
mod scopes;
mod signing;
mod world;

use std::collections::BTreeSet;

use crate::support::TestApp;
use request::{assert_no_markers, call, call_case, phantom};
use routes::{API_ROUTES, Access, Body, Case, PAGE_ROUTES};
use world::World;

#[tokio::test]
async fn every_route_has_an_isolation_case_and_every_page_route_exists() {
    let app = TestApp::spawn().await;
    let doc = call(&app, "GET", "/api/v1/openapi.json", None, Body::None).await;
    assert_eq!(doc.status, 200);
    let mut documented = BTreeSet::new();
    for (path, item) in doc.json["paths"].as_object().unwrap() {
        for method in [
            "get", "put", "post", "delete", "patch", "head", "options", "trace",
        ] {
            if item[method].is_object() {
                documented.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    let table: Vec<String> = API_ROUTES.iter().map(Case::name).collect();
    let cased: BTreeSet<String> = table.iter().cloned().collect();
    assert_eq!(cased.len(), table.len(), "a route has two cases: {table:?}");
    let missing: Vec<_> = documented.difference(&cased).collect();
    assert!(
        missing.is_empty(),
        "routes without an isolation case (add them to tests/api/isolation/routes.rs): {missing:?}"
    );
    let stale: Vec<_> = cased.difference(&documented).collect();
    assert!(
        stale.is_empty(),
        "cases for routes that no longer exist: {stale:?}"
    );

    let unknown = format!("/no-such-route-{}", uuid::Uuid::new_v4().simple());
    let fallback = call(&app, "GET", &unknown, None, Body::None).await;
    assert_eq!((fallback.status, fallback.code()), (404, Some("not_found")));
    for route in PAGE_ROUTES {
        let name = format!("{} {}", route.method, route.path);
        assert!(
            !documented.contains(&name),
            "{name} is in the OpenAPI document: move it to API_ROUTES"
        );
        let probe = call(&app, route.method, route.probe, None, Body::None).await;
        assert_ne!(
            (probe.status, &probe.text),
            (fallback.status, &fallback.text),
            "{name} no longer exists (its probe {} reached the fallback): update PAGE_ROUTES",
            route.probe
        );
        match route.access {
            Access::Public(reason) => {
                assert!(!reason.is_empty() && probe.status == 200, "{name}")
            }
            Access::Operator(token) => assert!(
                !token.is_empty() && probe.status == 401,
                "{name}: the operator's token is required"
            ),
            Access::LinkToken(reaches) => assert!(
                !reaches.is_empty() && probe.status >= 400,
                "{name}: a made-up link token must open nothing"
            ),
            _ => {}
        }
    }
    app.finish().await;
}

#[tokio::test]
async fn another_accounts_credential_finds_nothing_on_any_route_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let b = World::build(&app, "Beta").await;
    let a = app.account("Alpha").await;
    let markers = b.markers(&app).await;
    let before = b.snapshot(&app).await;
    for case in API_ROUTES {
        for target in b.targets() {
            let what = format!("{} with B's {}", case.name(), target.id);
            match case.access {
                Access::Objects(_) => {
                    let reply = call_case(&app, &b, case, target, &a.api_key).await;
                    assert_eq!(
                        (reply.status, reply.code()),
                        (404, Some("not_found")),
                        "{what}: {}",
                        reply.text
                    );
                    let missing = call_case(&app, &b, case, &phantom(), &a.api_key).await;
                    assert_eq!(
                        (reply.status, &reply.text),
                        (missing.status, &missing.text),
                        "{what}: another account's object must look exactly like a missing one"
                    );
                    assert_no_markers(&reply, &markers, &what);
                }
                Access::OwnAccount(_) => {
                    let reply = call_case(&app, &b, case, target, &a.api_key).await;
                    assert!((200..300).contains(&reply.status), "{what}: {}", reply.text);
                    assert_no_markers(&reply, &markers, &what);
                }
                Access::Upload(_) => {
                    let reply = call_case(&app, &b, case, target, &a.api_key).await;
                    assert_eq!(reply.status, 200, "{what}: {}", reply.text);
                    assert!(
                        reply.json["envelope"].is_null(),
                        "{what} named B's envelope: {}",
                        reply.text
                    );
                    let owner = call_case(&app, &b, case, target, &b.account.api_key).await;
                    assert_eq!(
                        owner.json["envelope"]["id"],
                        b.completed.id.as_str(),
                        "the owner's own file is matched"
                    );
                }
                Access::SigningToken
                | Access::LinkToken(_)
                | Access::OAuthClient
                | Access::Session
                | Access::Public(_)
                | Access::Operator(_) => {}
            }
        }
    }
    lists_show_only_the_callers_envelopes(&app, &b, &a.api_key, &markers).await;
    let after = b.snapshot(&app).await;
    assert_eq!(before, after, "account A changed account B's data");
    for target in b.targets() {
        let (_, chain) = app
            .get_json(
                &b.account.api_key,
                &format!("/api/v1/envelopes/{}/events/verify", target.id),
            )
            .await;
        assert_eq!(chain["ok"], true, "{chain}");
    }
    b.revive_dead_job(&app).await;
    app.finish().await;
}

/// Every filter of the list route, with A's key: only A's own envelopes (the three the
/// `POST /api/v1/envelopes` case made), never B's.
async fn lists_show_only_the_callers_envelopes(
    app: &TestApp,
    b: &World,
    key: &str,
    markers: &[String],
) {
    let mut queries = vec![String::new()];
    queries.extend(["completed", "in_progress", "draft"].map(|s| format!("?status={s}")));
    queries.extend(
        b.targets()
            .map(|t| format!("?external_key={}", t.external_key)),
    );
    for query in &queries {
        let reply = call(
            app,
            "GET",
            &format!("/api/v1/envelopes{query}"),
            Some(key),
            Body::None,
        )
        .await;
        assert_eq!(reply.status, 200, "{query}: {}", reply.text);
        assert_no_markers(&reply, markers, &format!("GET /api/v1/envelopes{query}"));
        for envelope in reply.json["data"].as_array().unwrap() {
            assert_eq!(envelope["title"], "Mine", "{query}: {envelope}");
        }
    }
    let all = call(app, "GET", "/api/v1/envelopes", Some(key), Body::None).await;
    assert_eq!(
        all.json["data"].as_array().unwrap().len(),
        3,
        "{}",
        all.text
    );
}
