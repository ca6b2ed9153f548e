// The rdc_record and rdc_header arrays a sink's put() gets: views into the
// consumed messages, which stay alive for the duration of the call.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <rdconnect/plugin.h>

#include "kafka/message.hpp"

namespace rdconnect::runtime {

/// A record's key and value as the convert stage made them; nullopt: as
/// consumed.
struct ConvertedParts {
  std::optional<std::string> key;
  std::optional<std::string> value;
};

/// Built anew for each batch in the memory of the last one, so that the
/// consume path allocates nothing once it runs at its batch size.
class RecordViews {
 public:
  /// Replaces the views with those of `messages`; `converted`, when not
  /// empty, holds what replaces each message's key and value (one entry per
  /// message) and must outlive the views.
  void fill(std::span<const kafka::Message> messages,
            std::span<const ConvertedParts> converted = {});
  /// The position of `record` when it is one of these views.
  std::optional<size_t> index_of(const rdc_record& record) const;
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
