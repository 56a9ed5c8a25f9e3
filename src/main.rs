//! The `partnerdesk` binary: parses the command line and runs the command.

use std::process::ExitCode;

fn main() -> ExitCode {
    partnerdesk::cli::main()
}
