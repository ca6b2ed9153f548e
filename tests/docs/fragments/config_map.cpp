// Harness of the fragment config_map (docs/writing-plugins.md, section 6):
// the config map and constructor of a web hook sink, whose put() and
// flush() do nothing here.
#include <rdconnect/plugin.hpp>

#include <cstdint>
#include <string>

namespace {

using rdconnect::ConfigKey;

#include "config_map.inc"

void WebhookSink::put(const rdconnect::Records& records) {
  host_.debug("would post " + std::to_string(records.size()) + " records to " +
              std::to_string(url_.size()) + "-byte url, " +
              (json_ ? "json" : "text") + ", batches of " +
              std::to_string(batch_size_) + ", timeout " +
              std::to_string(timeout_s_) + (gzip_ ? " s, gzip" : " s"));
}

void WebhookSink::flush() {}

}  // namespace

RDCONNECT_SINK_PLUGIN(WebhookSink, "webhook_sink", "0.1.0",
                      "Posts records to a web hook (a fragment's harness)",
                      kWebhookConfig)
