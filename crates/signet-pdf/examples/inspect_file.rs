//! Prints the pages and `{{tags}}` of a PDF: `cargo run --example inspect_file -- in.pdf`.

use std::fs::File;
use std::io::BufReader;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: inspect_file <in.pdf>")?;
    let started = Instant::now();
    let info = signet_pdf::inspect(
        BufReader::new(File::open(&path)?),
        &signet_pdf::Limits::default(),
    )?;
    let took = started.elapsed();
    println!("version {}", info.version);
    for p in &info.pages {
        println!(
            "page {} {}x{} rotate {}",
            p.number, p.width, p.height, p.rotation
        );
    }
    for t in &info.tags {
        let r = t.rect;
        println!(
            "tag {} page {} x={:.3} y={:.3} w={:.3} h={:.3}",
            t.tag, t.page, r.x, r.y, r.width, r.height
        );
    }
    eprintln!("inspected in {took:?}");
    Ok(())
}
