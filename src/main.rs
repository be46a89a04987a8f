fn main() {
    // Like other Unix tools, end quietly when the reader of stdout goes away (`cosell … | head`).
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // glibc gives every thread that allocates its own arena; with tokio's workers that leaves
    // memory freed by one thread unusable by another, and the process's footprint grows with
    // it. Two arenas keep a 100,000-opportunity session's memory close to what it holds.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
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
