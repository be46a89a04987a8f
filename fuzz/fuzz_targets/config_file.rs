//! The config file and its key bindings on arbitrary text: a broken file is an error that says
//! what is wrong, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(config) = cosell::config::Config::parse(text) {
        let _ = config.for_profile(Some("prod"));
        let _ = cosell::app::keymap::Keymap::with_overrides(&config.keys);
    }
});
