#include "cli/cli.hpp"
#include "cli/signal_watcher.hpp"

int main(int argc, char** argv) {
  // Before any thread exists, so that every thread inherits the mask and
  // only the signal watcher receives SIGINT / SIGTERM.
  rdconnect::cli::SignalWatcher::block_signals();
  return rdconnect::cli::run_cli(argc, argv);
}
