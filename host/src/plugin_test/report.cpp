#include "plugin_test/report.hpp"

#include <cstdio>
#include <iostream>

#include <fmt/format.h>

namespace rdconnect::plugin_test {
namespace {

// A plugin that never NUL-terminates fills the whole buffer; a line of a
// thousand bytes says no more than its first few hundred.
constexpr size_t kShownMessageBytes = 300;

std::string shortened(std::string_view text) {
  if (text.size() <= kShownMessageBytes) return std::string(text);
  return fmt::format("{}... ({} bytes)", text.substr(0, kShownMessageBytes),
                     text.size());
}

}  // namespace

Report::Report(Mask mask) : mask_(std::move(mask)) {}

std::string Report::masked(std::string text) const {
  return mask_ ? mask_(std::move(text)) : text;
}

void Report::call(std::string_view call, std::string_view status, double ms,
                  std::string_view detail) {
  ++calls_;
  print(fmt::format("{:<8} {:<12} {:>10.3f} ms  {}", call, status, ms,
                    shortened(masked(std::string(detail)))));
}

void Report::skipped(std::string_view call) {
  print(fmt::format("{:<8} (not set: default)", call));
}

void Report::breach(std::string_view call, std::string_view what,
                    std::string_view fix) {
  ++breaches_;
  print(fmt::format("  BREACH in {}: {}\n    what to do: {}", call,
                    shortened(masked(std::string(what))), fix));
}

void Report::plugin_says(std::string_view what, std::string_view message) {
  print(
      fmt::format("    {} {}", what, shortened(masked(std::string(message)))));
}

void Report::note(std::string_view text) { print(std::string(text)); }

// Flushed line by line: the drive runs in a child that may die at any
// moment, and what it printed before must not die with it.
void Report::print(const std::string& line) {
  std::lock_guard lock(mutex_);
  std::cout << line << '\n' << std::flush;
}

}  // namespace rdconnect::plugin_test
