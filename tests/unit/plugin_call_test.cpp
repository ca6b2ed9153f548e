// PluginCaller on the fixture sinks: statuses become Errors naming the
// plugin and the call, and a plugin writing past errstr_size is caught.
#include <algorithm>
#include <array>
#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "common/error.hpp"
#include "plugin/loaded_plugin.hpp"
#include "runtime/call_watch.hpp"
#include "runtime/plugin_call.hpp"

namespace rdconnect::runtime {
namespace {

const std::filesystem::path kFixtureDir = RDCONNECT_FIXTURE_DIR;

// A fixture sink instance created through PluginCaller, destroyed at the end.
class FixtureSink {
 public:
  explicit FixtureSink(const std::string& name)
      : plugin_(plugin::load_plugin(kFixtureDir / (name + ".so"))) {
    host_.struct_size = sizeof host_;
    host_.connector_name = "test";
    host_.log = [](void*, rdc_log_level, const char*) {};
    host_.record_error = [](void*, const rdc_record*, const char*) {};
    caller()("create", plugin_->sink().create, &host_, config_.data(),
             config_.size(), &instance_);
  }
  ~FixtureSink() { plugin_->sink().destroy(instance_); }

  PluginCaller caller() { return {*plugin_, watch_}; }

  void put() {
    rdc_record record{};
    record.topic = "t";
    caller()("put", plugin_->sink().put, instance_, &record, size_t{1});
  }

 private:
  std::shared_ptr<const plugin::LoadedPlugin> plugin_;
  CallWatch watch_;
  rdc_host host_{};
  std::array<rdc_config_value, 1> config_{{{"format", "json"}}};
  void* instance_ = nullptr;
};

TEST(PluginCallTest, AWellBehavedCallPasses) {
  FixtureSink sink("fixture_c_sink");
  EXPECT_NO_THROW(sink.put());
}

TEST(PluginCallTest, WritingPastErrstrSizeIsAFatalContractBreach) {
  FixtureSink sink("fixture_put_overrun");
  try {
    sink.put();
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_FALSE(error.is_retriable());
    EXPECT_EQ(std::string(error.what()),
              "plugin 'fixture_put_overrun' put(): broke the plugin contract: "
              "wrote past the " +
                  std::to_string(RDC_ERRSTR_SIZE) +
                  " bytes of errstr it was given (errstr_size); fix the "
                  "plugin to write at most errstr_size bytes");
  }
}

TEST(GuardedErrorBufferTest, SeesAnOverrunOfOneByte) {
  GuardedErrorBuffer buffer;
  buffer.data()[buffer.size() - 1] = 'x';
  EXPECT_FALSE(buffer.overrun());
  buffer.data()[buffer.size()] = '\0';
  EXPECT_TRUE(buffer.overrun());
}

TEST(GuardedErrorBufferTest, TerminatesAMessageThePluginLeftOpen) {
  GuardedErrorBuffer buffer;
  std::fill(buffer.data(), buffer.data() + buffer.size(), 'y');
  EXPECT_EQ(buffer.message(), std::string(buffer.size() - 1, 'y'));
  EXPECT_FALSE(buffer.overrun());
}

}  // namespace
}  // namespace rdconnect::runtime
