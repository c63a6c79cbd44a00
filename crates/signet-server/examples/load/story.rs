//! The story phase: one envelope at a time per client, through every API step.

use super::*;

pub(crate) struct StoryPhase {
    pub(crate) done: Vec<Story>,
    pub(crate) errors: Vec<String>,
    pub(crate) elapsed: Duration,
}

impl StoryPhase {
    pub(crate) fn requests(&self) -> usize {
        self.done.iter().map(|s| s.requests).sum()
    }
}

pub(crate) async fn run_story(ctx: &Ctx, concurrency: usize, budget: &Budget) -> StoryPhase {
    let started = Instant::now();
    let clients = (0..concurrency).map(|_| async {
        let (mut done, mut errors) = (Vec::new(), Vec::new());
        while budget.take() {
            match story(ctx).await {
                Ok(s) => done.push(s),
                Err(e) => errors.push(e),
            }
        }
        (done, errors)
    });
    let mut phase = StoryPhase {
        done: Vec::new(),
        errors: Vec::new(),
        elapsed: Duration::ZERO,
    };
    for (done, errors) in join_all(clients).await {
        phase.done.extend(done);
        phase.errors.extend(errors);
    }
    phase.elapsed = started.elapsed();
    phase
}

/// One envelope through the whole story.
pub(crate) async fn story(ctx: &Ctx) -> Result<Story, String> {
    let mut steps = [Duration::ZERO; 7];
    let mut polls = Vec::new();
    let mut t = Instant::now();
    let mut lap = |steps: &mut [Duration; 7], i: usize| {
        steps[i] = t.elapsed();
        t = Instant::now();
    };
    let created = ctx
        .json(
            ctx.post("/api/v1/envelopes")
                .json(&json!({"title": "Load test"})),
            201,
        )
        .await?;
    let id = created["id"].as_str().ok_or("no envelope id")?.to_string();
    lap(&mut steps, 0);
    let part = reqwest::multipart::Part::bytes(ctx.pdf)
        .file_name("contract.pdf")
        .mime_str("application/pdf")
        .map_err(|e| e.to_string())?;
    let form = reqwest::multipart::Form::new().part("file", part);
    ctx.json(
        ctx.post(&format!("/api/v1/envelopes/{id}/documents"))
            .multipart(form),
        201,
    )
    .await?;
    lap(&mut steps, 1);
    let signer = json!({"name": "Load Signer", "email": "signer@example.test", "invitation": "link",
                        "fields": [{"type": "signature", "tag": "signature_1"}]});
    ctx.json(
        ctx.post(&format!("/api/v1/envelopes/{id}/signers"))
            .json(&signer),
        201,
    )
    .await?;
    lap(&mut steps, 2);
    let sent = ctx
        .json(
            ctx.post(&format!("/api/v1/envelopes/{id}/send"))
                .json(&json!({})),
            200,
        )
        .await?;
    let url = sent["signers"][0]["sign_url"]
        .as_str()
        .ok_or("no sign_url")?;
    let token = url.rsplit('/').next().unwrap_or_default().to_string();
    lap(&mut steps, 3);
    let body = json!({"consent": true, "signature": {"kind": "typed", "text": "Load Signer"}});
    let request = ctx
        .http
        .post(format!("{}/api/v1/signing/{token}/complete", ctx.base))
        .json(&body);
    ctx.json(request, 200).await?;
    lap(&mut steps, 4);
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let asked = Instant::now();
        let envelope = ctx
            .json(ctx.get(&format!("/api/v1/envelopes/{id}")), 200)
            .await?;
        polls.push(asked.elapsed());
        match envelope["status"].as_str() {
            Some("completed") => break,
            Some("sealing") | Some("in_progress") if Instant::now() < deadline => {
                tokio::time::sleep(ctx.poll).await
            }
            other => return Err(format!("envelope {id} is {other:?}, not completed")),
        }
    }
    lap(&mut steps, WAIT);
    let response = ctx
        .get(&format!("/api/v1/envelopes/{id}/signed.pdf"))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let bytes = response.bytes().await.map_err(|e| e.to_string())?;
    if status != 200 || !bytes.starts_with(ctx.pdf) {
        return Err(format!(
            "signed.pdf: status {status}, {} bytes, not an update of the upload",
            bytes.len()
        ));
    }
    lap(&mut steps, 6);
    let requests = 6 + polls.len();
    Ok(Story {
        id,
        steps,
        polls,
        requests,
    })
}

impl Ctx {
    pub(crate) fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.http
            .post(format!("{}{path}", self.base))
            .header("authorization", &self.auth)
    }

    pub(crate) fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.http
            .get(format!("{}{path}", self.base))
            .header("authorization", &self.auth)
    }

    pub(crate) async fn json(
        &self,
        request: reqwest::RequestBuilder,
        want: u16,
    ) -> Result<Value, String> {
        let response = request.send().await.map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let text = response.text().await.map_err(|e| e.to_string())?;
        if status != want {
            return Err(format!("status {status} (wanted {want}): {text}"));
        }
        serde_json::from_str(&text).map_err(|e| format!("{e}: {text}"))
    }
}
