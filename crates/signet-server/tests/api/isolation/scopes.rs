//! Every route of the native API demands the scope the table names: a read-only key is refused
//! (403 `insufficient_scope`) on every write and never on a read.

use std::collections::HashMap;

use signet_core::model::{Scope, Scopes};

use super::request::{Reply, call_case, phantom};
use super::routes::{API_ROUTES, Access, Case};
use super::world::{Target, World};
use crate::support::TestApp;
use crate::support::fixtures::key_with_scopes;

/// `ALL` without `scope`, in the OAuth2 text form.
fn all_but(scope: Scope) -> String {
    Scopes::of(
        &Scope::ALL
            .iter()
            .copied()
            .filter(|s| *s != scope)
            .collect::<Vec<_>>(),
    )
    .to_string()
}

#[tokio::test]
async fn every_route_demands_its_scope() {
    let app = TestApp::spawn().await;
    let b = World::build(&app, "Beta").await;
    let mut keys: HashMap<String, String> = HashMap::new();
    let mut key = async |scopes: &str| -> String {
        if let Some(key) = keys.get(scopes) {
            return key.clone();
        }
        let key = key_with_scopes(&app, &b.account, scopes).await;
        keys.insert(scopes.to_string(), key.clone());
        key
    };
    let read_only = key("read").await;
    let scoped: Vec<(&Case, Scopes)> = API_ROUTES
        .iter()
        .filter_map(|case| Some((case, Scopes::parse(case.access.scopes()?).unwrap())))
        .collect();
    for (case, needed) in &scoped {
        let target = &own_target(case, &b);
        let reply = call_case(&app, &b, case, target, &read_only).await;
        if Scopes::parse("read").unwrap().covers(*needed) {
            assert!(
                !matches!(reply.status, 401 | 403),
                "{} refused a read-only key: {}",
                case.name(),
                reply.text
            );
        } else {
            assert_insufficient_scope(&reply, &format!("{} with a read-only key", case.name()));
        }
        for scope in needed.iter() {
            let without = key(&all_but(scope)).await;
            let reply = call_case(&app, &b, case, target, &without).await;
            assert_insufficient_scope(&reply, &format!("{} without {scope}", case.name()));
        }
    }
    // With exactly the scopes it names, every route does its work (reads first, deletes last,
    // so each acts on objects that still exist).
    let mut allowed = scoped.clone();
    allowed.sort_by_key(|(case, _)| match case.method {
        "GET" => 0,
        "DELETE" => 2,
        _ => 1,
    });
    for (case, needed) in allowed {
        let target = &own_target(case, &b);
        let reply = call_case(&app, &b, case, target, &key(&needed.to_string()).await).await;
        assert!(
            (200..300).contains(&reply.status),
            "{} with exactly {needed}: {}",
            case.name(),
            reply.text
        );
    }
    app.run_jobs_until_idle().await;
    b.revive_dead_job(&app).await;
    app.finish().await;
}

/// Where a scope test aims `case` in the caller's own world: reads at the sealed envelope (every
/// download exists), writes at the draft (every change is allowed), account-wide routes at ids
/// that exist nowhere (a fresh external key). Reminders go to the envelope out for signing,
/// reactivation to the declined one.
fn own_target(case: &Case, world: &World) -> Target {
    match (case.access, case.method) {
        (Access::Objects(_), "GET") => world.completed.clone(),
        // A reminder needs someone still to sign, invited by e-mail.
        (Access::Objects(_), _) if case.path.ends_with("/remind") => world.in_progress.clone(),
        // Only a declined (or expired) envelope can be reactivated.
        (Access::Objects(_), _) if case.path.ends_with("/reactivate") => world.declined.clone(),
        (Access::Objects(_), _) => world.draft.clone(),
        _ => phantom(),
    }
}

fn assert_insufficient_scope(reply: &Reply, what: &str) {
    assert_eq!(
        (reply.status, reply.code()),
        (403, Some("insufficient_scope")),
        "{what}: {}",
        reply.text
    );
    assert_eq!(
        reply.challenge.as_deref(),
        Some("Bearer error=\"insufficient_scope\""),
        "{what}"
    );
}
