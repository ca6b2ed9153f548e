// The rdconnect command line: run, validate, plugins.
#pragma once

namespace rdconnect::cli {

/// Exit codes, as documented in --help.
enum ExitCode : int {
  kExitOk = 0,
  kExitRuntimeFailure = 1,
  kExitBadUsage = 2,
  /// Plus the signal's number: a command stopped at once by SIGINT (130) or
  /// SIGTERM (143) before it had anything to flush, as a shell reports it.
  kExitSignalBase = 128,
};

/// Parse the command line and run the chosen command; returns the exit code.
int run_cli(int argc, char** argv);

}  // namespace rdconnect::cli
