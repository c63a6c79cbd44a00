use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::time::{Duration, Instant};

use signet_testkit::http_sink::{HttpSink, SinkResponse};

use super::*;

/// Resolves names from a fixed table; unknown names fail like NXDOMAIN.
struct FakeLookup(HashMap<String, Vec<IpAddr>>);

impl Lookup for FakeLookup {
    fn lookup(
        &self,
        host: String,
    ) -> Pin<Box<dyn Future<Output = std::io::Result<Vec<IpAddr>>> + Send>> {
        let found = self.0.get(&host).cloned();
        Box::pin(async move {
            found.ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such host"))
        })
    }
}

fn sender(allow_private: bool, names: &[(&str, &str)]) -> HttpCallbackSender {
    let table = names
        .iter()
        .map(|(name, ip)| (name.to_string(), vec![ip.parse().unwrap()]))
        .collect();
    let config = CallbackConfig {
        allow_private,
        timeout: Duration::from_secs(5),
    };
    HttpCallbackSender::with_lookup(config, Arc::new(FakeLookup(table))).unwrap()
}

fn request(url: String) -> CallbackRequest {
    CallbackRequest {
        url,
        headers: vec![
            ("webhook-id".into(), "msg_1".into()),
            ("webhook-signature".into(), "v1,abc=".into()),
        ],
        body: br#"{"type":"envelope.completed"}"#.to_vec(),
    }
}

#[tokio::test]
async fn a_callback_is_posted_with_its_headers_and_body() {
    let sink = HttpSink::always_ok().await;
    let sender = HttpCallbackSender::new(CallbackConfig {
        allow_private: true,
        ..CallbackConfig::default()
    })
    .unwrap();
    let status = sender
        .post(&request(sink.url("/hook?key=1")))
        .await
        .unwrap();
    assert_eq!(status, 200);
    let requests = sink.wait_for(1, Duration::from_secs(2)).await.unwrap();
    let received = &requests[0];
    assert_eq!(received.method, "POST");
    assert_eq!(received.path, "/hook?key=1");
    assert_eq!(received.header("content-type"), Some("application/json"));
    assert_eq!(received.header("webhook-id"), Some("msg_1"));
    assert_eq!(received.header("webhook-signature"), Some("v1,abc="));
    assert_eq!(received.body, br#"{"type":"envelope.completed"}"#);
}

#[tokio::test]
async fn loopback_targets_are_refused_without_a_request() {
    let sink = HttpSink::always_ok().await;
    let port = sink.addr().port();
    let strict = sender(false, &[("rebind.test", "127.0.0.1")]);
    let system = HttpCallbackSender::new(CallbackConfig::default()).unwrap();
    for url in [
        format!("http://127.0.0.1:{port}/"),
        format!("http://[::1]:{port}/"),
        format!("http://[::ffff:127.0.0.1]:{port}/"),
        format!("http://2130706433:{port}/"),
        format!("http://0x7f.1:{port}/"),
        format!("http://rebind.test:{port}/"),
    ] {
        let err = strict.post(&request(url.clone())).await.unwrap_err();
        assert!(matches!(err, DeliveryError::Permanent(_)), "{url}: {err:?}");
    }
    // `localhost` through the real system resolver.
    for host in ["localhost", "localhost."] {
        let err = system
            .post(&request(format!("http://{host}:{port}/")))
            .await
            .unwrap_err();
        assert!(
            matches!(err, DeliveryError::Permanent(_)),
            "{host}: {err:?}"
        );
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(sink.requests().is_empty());
}

#[tokio::test]
async fn the_connection_goes_to_the_address_the_resolver_vetted() {
    let sink = HttpSink::always_ok().await;
    let permissive = sender(true, &[("sink.test", "127.0.0.1")]);
    let status = permissive
        .post(&request(format!(
            "http://sink.test:{}/x",
            sink.addr().port()
        )))
        .await
        .unwrap();
    assert_eq!(status, 200);
    let requests = sink.wait_for(1, Duration::from_secs(2)).await.unwrap();
    assert_eq!(
        requests[0].header("host"),
        Some(format!("sink.test:{}", sink.addr().port()).as_str())
    );
}

#[tokio::test]
async fn dns_failures_fail_closed_and_are_transient() {
    let err = sender(false, &[])
        .post(&request("http://unknown.test/".into()))
        .await
        .unwrap_err();
    assert!(matches!(err, DeliveryError::Transient(_)), "{err:?}");
}

#[tokio::test]
async fn non_http_urls_are_refused() {
    let strict = sender(true, &[]);
    for url in [
        "ftp://example.com/x",
        "file:///etc/passwd",
        "gopher://example.com/",
        "not a url",
    ] {
        let err = strict.post(&request(url.into())).await.unwrap_err();
        assert!(matches!(err, DeliveryError::Permanent(_)), "{url}: {err:?}");
    }
}

#[tokio::test]
async fn a_redirect_is_returned_not_followed() {
    let target = HttpSink::always_ok().await;
    let redirecting = HttpSink::start([SinkResponse::redirect(&target.url("/stolen"))]).await;
    let permissive = sender(true, &[]);
    let status = permissive
        .post(&request(redirecting.url("/hook")))
        .await
        .unwrap();
    assert_eq!(status, 302);
    assert_eq!(redirecting.requests().len(), 1);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(target.requests().is_empty());
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let sink = HttpSink::start([SinkResponse::status(200).after(Duration::from_secs(600))]).await;
    let config = CallbackConfig {
        allow_private: true,
        timeout: Duration::from_millis(300),
    };
    let sender = HttpCallbackSender::new(config).unwrap();
    let started = Instant::now();
    let err = sender.post(&request(sink.url("/slow"))).await.unwrap_err();
    assert!(
        matches!(err, DeliveryError::Transient(ref m) if m.contains("timed out")),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(sink.requests().len(), 1);
}

#[tokio::test]
async fn a_refused_connection_is_transient() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = sender(true, &[])
        .post(&request(format!("http://127.0.0.1:{port}/")))
        .await
        .unwrap_err();
    assert!(matches!(err, DeliveryError::Transient(_)), "{err:?}");
}
