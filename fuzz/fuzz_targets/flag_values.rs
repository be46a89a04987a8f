//! The rule values users type on the command line (lengths of time, dates, regular
//! expressions, stages and the other vocabularies) on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = cosell::cli::values::span(text);
    let _ = cosell::cli::values::date(text);
    let _ = cosell::cli::values::pattern(text);
    let _ = cosell_core_vocab(text);
});

fn cosell_core_vocab(text: &str) -> bool {
    cosell::app::command::parse(text).is_ok()
}
