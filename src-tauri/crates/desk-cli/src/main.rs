use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = desk_cli::Cli::parse();
    let json = cli.json;
    match desk_cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            if json {
                eprintln!(
                    "{}",
                    serde_json::json!({"code": error.code(), "message": error.to_string()})
                );
            } else {
                eprintln!("{error}");
            }
            std::process::ExitCode::from(error.exit_code())
        }
    }
}
