//! `signet_pdf::inspect` on arbitrary bytes: page geometry and `{{tag}}` finding (the parser,
//! the stream filters, the content interpreter, fonts and CMaps) must return, never panic.
#![no_main]

mod common;

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(info) = common::checked(
        "inspect",
        signet_pdf::inspect(Cursor::new(data), &common::limits()),
    ) {
        assert!(info.pages.len() <= 200, "more pages than the limit allows");
    }
});
