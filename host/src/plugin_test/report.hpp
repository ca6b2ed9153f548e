// What the harness prints: one line per plugin call, the plugin's log
// lines, and each contract breach with what to do about it.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace rdconnect::plugin_test {

class Report {
 public:
  /// Hides secrets (the config's) in whatever the plugin wrote.
  using Mask = std::function<std::string(std::string)>;

  explicit Report(Mask mask = {});

  /// "put      OK           0.412 ms  25 records".
  void call(std::string_view call, std::string_view status, double ms,
            std::string_view detail);
  /// An optional function the plugin leaves NULL.
  void skipped(std::string_view call);
  /// A breach of the contract in `call` ("put()"), and how to fix it.
  void breach(std::string_view call, std::string_view what,
              std::string_view fix);
  /// A line the plugin logged, or reported about a record; masked.
  void plugin_says(std::string_view what, std::string_view message);
  void note(std::string_view text);

  size_t breaches() const { return breaches_; }
  size_t calls() const { return calls_; }
  std::string masked(std::string text) const;

 private:
  void print(const std::string& line);

  Mask mask_;
  // Plugins may log from threads of their own.
  std::mutex mutex_;
  std::atomic<size_t> breaches_{0};
  std::atomic<size_t> calls_{0};
};

}  // namespace rdconnect::plugin_test
