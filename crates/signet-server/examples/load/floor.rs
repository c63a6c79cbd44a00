//! The HTTP floor: the same clients on the cheapest route.

use super::*;

pub(crate) struct FloorPhase {
    pub(crate) iterations: usize,
    pub(crate) latencies: Vec<Duration>,
    pub(crate) errors: Vec<String>,
    pub(crate) elapsed: Duration,
}

/// The same clients, `k` requests per iteration, on the cheapest route.
pub(crate) async fn run_floor(
    ctx: &Ctx,
    concurrency: usize,
    k: usize,
    budget: &Budget,
) -> FloorPhase {
    let started = Instant::now();
    let url = format!("{}/api/v1/trust/ca.pem", ctx.base);
    let clients = (0..concurrency).map(|_| async {
        let (mut iterations, mut latencies, mut errors) = (0, Vec::new(), Vec::new());
        while budget.take() {
            for _ in 0..k {
                let t = Instant::now();
                let result = match ctx.http.get(&url).send().await {
                    Ok(r) if r.status() == 200 => {
                        r.bytes().await.map(|_| ()).map_err(|e| e.to_string())
                    }
                    Ok(r) => Err(format!("status {}", r.status())),
                    Err(e) => Err(e.to_string()),
                };
                latencies.push(t.elapsed());
                if let Err(e) = result {
                    errors.push(e);
                }
            }
            iterations += 1;
        }
        (iterations, latencies, errors)
    });
    let mut phase = FloorPhase {
        iterations: 0,
        latencies: Vec::new(),
        errors: Vec::new(),
        elapsed: Duration::ZERO,
    };
    for (iterations, latencies, errors) in join_all(clients).await {
        phase.iterations += iterations;
        phase.latencies.extend(latencies);
        phase.errors.extend(errors);
    }
    phase.elapsed = started.elapsed();
    phase
}
