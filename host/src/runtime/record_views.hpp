// The rdc_record and rdc_header arrays a sink's put() gets: views into the
// consumed messages, which stay alive for the duration of the call.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include <rdconnect/plugin.h>

#include "kafka/message.hpp"

namespace rdconnect::runtime {

/// Built anew for each batch in the memory of the last one, so that the
/// consume path allocates nothing once it runs at its batch size.
class RecordViews {
 public:
  /// Replaces the views with those of `messages`.
  void fill(std::span<const kafka::Message> messages);
  const rdc_record* data() const { return records_.data(); }
  size_t size() const { return records_.size(); }

 private:
  std::vector<rdc_record> records_;
  std::vector<rdc_header> headers_;
  // Where each record's headers start in headers_; pointers are set once
  // headers_ is complete, since it may move while it grows.
  std::vector<size_t> header_starts_;
};

}  // namespace rdconnect::runtime
