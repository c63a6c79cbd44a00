//! Writes a synthetic PDF of about N MB of incompressible images (for memory measurements):
//! `cargo run --release --example make_big_pdf -- out.pdf 100`.

#[path = "../benches/generator.rs"]
mod generator;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(out), Some(mb)) = (args.get(1), args.get(2)) else {
        return Err("usage: make_big_pdf <out.pdf> <megabytes>".into());
    };
    let mb: usize = mb.parse()?;
    let pages = mb.clamp(1, 100);
    let pdf = generator::synthetic_pdf(pages, 40, mb * 1024 * 1024 / pages);
    std::fs::write(out, &pdf)?;
    println!("wrote {out}: {} bytes, {pages} pages", pdf.len());
    Ok(())
}
