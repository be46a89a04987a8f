//! `opportunities apply` files on arbitrary text, as CSV and as JSON Lines: a file that cannot
//! be read is an error that says where, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = cosell::cli::apply::parse_rows(text, false);
    let _ = cosell::cli::apply::parse_rows(text, true);
});
