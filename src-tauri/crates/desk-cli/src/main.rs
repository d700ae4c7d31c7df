use clap::Parser;

/// Imports allocate by the hundred thousand; see the workspace manifest.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = match desk_cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => match desk_cli::usage::chinese_message(&error) {
            Some(message) => {
                eprintln!("{message}");
                return std::process::ExitCode::from(2);
            }
            None => {
                // Help and version: clap's text, with its fixed words in Chinese.
                let help = desk_cli::usage::chinese_help(&error.render().to_string());
                desk_cli::output::write_line(help.trim_end());
                return std::process::ExitCode::SUCCESS;
            }
        },
    };
    let json = cli.json;
    match desk_cli::paths::refuse_unwritable_paths(&cli).and_then(|()| desk_cli::run(cli)) {
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
