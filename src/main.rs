use clap::Parser;

fn main() -> color_eyre::Result<()> {
    // Like other Unix tools, end quietly when the reader of stdout goes away (`cosell … | head`).
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let args = cosell::cli::Cli::parse();
    std::process::exit(cosell::cli::run(args)?)
}
