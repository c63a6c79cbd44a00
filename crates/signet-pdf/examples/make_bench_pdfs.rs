//! Writes the two inputs of the `engine` criterion bench as files, so command-line timings
//! (`bench/run.sh`) seal the very same bytes: `cargo run --release --example make_bench_pdfs -- DIR`
//! writes `DIR/ten.pdf` (10 text pages) and `DIR/big5mb.pdf` (5 pages, ~5 MB of images).

#[path = "../benches/generator.rs"]
mod generator;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Some(dir) = std::env::args().nth(1) else {
        return Err("usage: make_bench_pdfs <directory>".into());
    };
    let dir = std::path::Path::new(&dir);
    std::fs::create_dir_all(dir)?;
    // Same parameters as `benches/engine.rs`.
    for (name, pdf) in [
        ("ten.pdf", generator::synthetic_pdf(10, 50, 0)),
        ("big5mb.pdf", generator::synthetic_pdf(5, 20, 1024 * 1024)),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, &pdf)?;
        println!("wrote {}: {} bytes", path.display(), pdf.len());
    }
    Ok(())
}
