use clap::Parser;

fn main() -> color_eyre::Result<()> {
    let args = cosell::cli::Cli::parse();
    std::process::exit(cosell::cli::run(args)?)
}
