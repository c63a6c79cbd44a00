//! Percentiles, per-round reports and the JSON summary.

use super::*;

/// Milliseconds: mean, p50, p90, p99, max.
pub(crate) fn percentiles(values: &[Duration]) -> Value {
    if values.is_empty() {
        return json!(null);
    }
    let mut ms: Vec<f64> = values.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() as f64 * q).ceil() as usize).clamp(1, ms.len()) - 1];
    let round = |v: f64| (v * 10.0).round() / 10.0;
    json!({"n": ms.len(), "mean": round(ms.iter().sum::<f64>() / ms.len() as f64),
           "p50": round(at(0.5)), "p90": round(at(0.9)), "p99": round(at(0.99)), "max": round(at(1.0))})
}

pub(crate) fn print_row(name: &str, p: &Value) {
    if p.is_null() {
        return;
    }
    println!(
        "  {name:<10} {:>6} {:>8} {:>8} {:>8} {:>8} {:>8}",
        p["n"], p["mean"], p["p50"], p["p90"], p["p99"], p["max"]
    );
}

pub(crate) fn round_report(
    round: usize,
    k: usize,
    floor: &FloorPhase,
    floor_cpu: &Value,
    story: &StoryPhase,
    story_cpu: &Value,
) -> Value {
    let floor_rps = floor.latencies.len() as f64 / floor.elapsed.as_secs_f64();
    // The floor in envelope-sized iterations: as many requests as this round's envelopes took.
    let per_envelope = story.requests() as f64 / story.done.len().max(1) as f64;
    let floor_eps = floor_rps / per_envelope;
    let eps = story.done.len() as f64 / story.elapsed.as_secs_f64();
    let rps = story.requests() as f64 / story.elapsed.as_secs_f64();
    println!("round {round}");
    println!(
        "  floor: {} iterations x {k} requests in {:.1} s = {floor_rps:.0} requests/s = {floor_eps:.1} iterations/s of {per_envelope:.1} requests; errors {}; {}",
        floor.iterations,
        floor.elapsed.as_secs_f64(),
        floor.errors.len(),
        brief(floor_cpu)
    );
    println!(
        "  story: {} envelopes in {:.1} s = {eps:.2} envelopes/s ({rps:.0} requests/s); errors {}; {}",
        story.done.len(),
        story.elapsed.as_secs_f64(),
        story.errors.len(),
        brief(story_cpu)
    );
    println!(
        "  server threads during the story (% of one core): {}",
        story_cpu["threads"]
    );
    for e in story.errors.iter().chain(&floor.errors).take(5) {
        println!("  error: {e}");
    }
    println!(
        "  ratio story/floor: {:.4} (floor is {:.0}x faster)",
        eps / floor_eps,
        floor_eps / eps
    );
    println!(
        "  {:<10} {:>6} {:>8} {:>8} {:>8} {:>8} {:>8}   (ms)",
        "step", "n", "mean", "p50", "p90", "p99", "max"
    );
    let mut steps = serde_json::Map::new();
    for (i, name) in STEPS.iter().enumerate() {
        let values: Vec<Duration> = story.done.iter().map(|s| s.steps[i]).collect();
        let p = percentiles(&values);
        print_row(name, &p);
        steps.insert(name.to_string(), p);
    }
    let totals: Vec<Duration> = story.done.iter().map(|s| s.steps.iter().sum()).collect();
    let polls: Vec<Duration> = story
        .done
        .iter()
        .flat_map(|s| s.polls.iter().copied())
        .collect();
    let floor_lat = percentiles(&floor.latencies);
    for (name, p) in [
        ("total", percentiles(&totals)),
        ("poll GET", percentiles(&polls)),
        ("floor GET", floor_lat.clone()),
    ] {
        print_row(name, &p);
        steps.insert(name.to_string(), p);
    }
    println!();
    json!({"round": round, "envelopes": story.done.len(), "story_s": story.elapsed.as_secs_f64(),
           "story_errors": story.errors.len(), "envelopes_per_s": eps, "story_requests_per_s": rps,
           "floor_requests": floor.latencies.len(), "floor_s": floor.elapsed.as_secs_f64(),
           "story_requests": story.requests(), "requests_per_envelope": per_envelope,
           "floor_errors": floor.errors.len(), "floor_requests_per_s": floor_rps, "floor_iterations_per_s": floor_eps,
           "ratio": eps / floor_eps, "steps_ms": steps,
           "story_cpu": story_cpu, "floor_cpu": floor_cpu})
}

/// "server 120%, client 8%, machine 75%" (server and client in % of one core, machine of all).
pub(crate) fn brief(cpu: &Value) -> String {
    format!(
        "CPU: server {}%, client {}%, machine {}% of all cores",
        cpu["server_pct"], cpu["client_pct"], cpu["machine_pct"]
    )
}

/// From the audit trail: how long `sealing_scheduled` waited for the seal job to start
/// (`sealed` carries the seal job's start time).
pub(crate) async fn queue_waits(ctx: &Ctx, ids: &[String], sample: usize) -> Value {
    let mut waits = Vec::new();
    let step = (ids.len() / sample.max(1)).max(1);
    for id in ids.iter().step_by(step).take(sample) {
        let Ok(events) = ctx
            .json(ctx.get(&format!("/api/v1/envelopes/{id}/events")), 200)
            .await
        else {
            continue;
        };
        let at = |kind: &str| {
            events["data"]
                .as_array()?
                .iter()
                .find(|e| e["type"] == kind)
                .and_then(|e| {
                    time::OffsetDateTime::parse(
                        e["at"].as_str()?,
                        &time::format_description::well_known::Rfc3339,
                    )
                    .ok()
                })
        };
        if let (Some(scheduled), Some(sealed)) = (at("sealing_scheduled"), at("sealed")) {
            waits.push(Duration::try_from(sealed - scheduled).unwrap_or_default());
        }
    }
    let p = percentiles(&waits);
    println!(
        "seal queue wait (sealing_scheduled -> seal job start, from the audit trail of {} envelopes):",
        waits.len()
    );
    print_row("queue", &p);
    p
}

pub(crate) fn summarize(rounds: &[Value], queue: Value, pid: Option<u32>) -> Value {
    let sum = |key: &str| {
        rounds
            .iter()
            .map(|r| r[key].as_f64().unwrap_or(0.0))
            .sum::<f64>()
    };
    let eps = sum("envelopes") / sum("story_s");
    let floor_rps = sum("floor_requests") / sum("floor_s");
    let k = sum("story_requests") / sum("envelopes");
    let floor_eps = floor_rps / k;
    let peak_rss_kb = pid.and_then(|p| {
        let status = std::fs::read_to_string(format!("/proc/{p}/status")).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse::<u64>().ok()
    });
    println!(
        "overall: {eps:.2} envelopes/s vs floor {floor_rps:.0} requests/s / {k:.1} = {floor_eps:.1} iterations/s -> ratio {:.4}; with the 7 requests the story needs at least: floor {:.1}/s, ratio {:.4}",
        eps / floor_eps,
        floor_rps / 7.0,
        eps / (floor_rps / 7.0)
    );
    json!({"envelopes_per_s": eps, "floor_requests_per_s": floor_rps, "requests_per_envelope": k,
           "floor_iterations_per_s": floor_eps, "ratio": eps / floor_eps,
           "floor7_iterations_per_s": floor_rps / 7.0, "ratio7": eps / (floor_rps / 7.0),
           "seal_queue_wait_ms": queue, "server_peak_rss_kb": peak_rss_kb, "rounds": rounds})
}
