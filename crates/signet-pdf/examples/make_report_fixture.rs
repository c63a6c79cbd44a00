//! Writes `tests/fixtures/signet_report.pdf`, the fixture produced by our own `render_report`
//! (embedded Type0/Identity-H subset fonts): `cargo run --example make_report_fixture`.

use signet_pdf::{Block, Report, render_report};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let report = Report {
        title: "Tag fixture".into(),
        subtitle: Some("Produced by signet-pdf render_report".into()),
        blocks: vec![
            Block::Paragraph("Sign here: {{signature_1}} and date {{date_1}} today".into()),
            Block::KeyValues(vec![("Initials".into(), "{{initials_1}}".into())]),
            Block::Table {
                columns: vec!["Field".into(), "Tag".into()],
                rows: vec![vec!["Checkbox".into(), "{{check.one}}".into()]],
            },
        ],
        footer: Some("fixture".into()),
    };
    let pdf = render_report(&report)?;
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/signet_report.pdf"
    );
    std::fs::write(path, &pdf)?;
    println!("wrote {path}: {} bytes", pdf.len());
    Ok(())
}
