fn main() {
    // Like other Unix tools, end quietly when the reader of stdout goes away (`cosell … | head`).
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let args = cosell::cli::parse();
    match cosell::cli::run(args) {
        Ok(code) => std::process::exit(code),
        // A user's mistake or an unreachable service is a message, never a backtrace, whatever
        // RUST_BACKTRACE says; panics (bugs) still get color-eyre's full report.
        Err(err) => {
            eprintln!("error: {}", cosell::cli::describe(&err));
            std::process::exit(cosell::cli::exit_code(&err))
        }
    }
}
