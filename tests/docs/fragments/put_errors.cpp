// Harness of the fragment put_errors (docs/writing-plugins.md, section 8):
// the fragment is the put() of this sink.
#include <rdconnect/plugin.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace {

class CheckedSink : public rdconnect::Sink {
 public:
  CheckedSink(const rdconnect::Config& config, rdconnect::Host host)
      : host_(host), table_(config.string("table")) {}

#include "put_errors.inc"

  void flush() override {
    host_.debug(std::to_string(rows_.size()) + " rows into " + table_);
    rows_.clear();
  }

 private:
  bool connected() const { return true; }
  static bool is_json_object(std::string_view value) {
    return !value.empty() && value.front() == '{';
  }

  rdconnect::Host host_;
  std::string table_;
  std::vector<std::string> rows_;
};

constexpr rdc_config_entry kCheckedConfig[] = {
    rdconnect::ConfigKey::string("table").with_default("events").doc(
        "Where the rows would go"),
};

}  // namespace

RDCONNECT_SINK_PLUGIN(CheckedSink, "checked_sink", "0.1.0",
                      "Reports records it cannot write (a fragment's harness)",
                      kCheckedConfig)
