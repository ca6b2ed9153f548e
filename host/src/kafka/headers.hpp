// Record headers on their way to a producer: owned until produce() takes
// them, so that no error path leaks them.
#pragma once

#include <cstddef>
#include <string_view>

#include <librdkafka/rdkafka.h>

namespace rdconnect::kafka {

class Headers {
 public:
  /// No headers; add() makes room as needed.
  Headers() = default;
  /// Room for `capacity` headers without growing.
  explicit Headers(size_t capacity)
      : headers_(rd_kafka_headers_new(capacity)) {}
  /// A copy of `headers`, which may be null.
  static Headers copy_of(const rd_kafka_headers_t* headers) {
    Headers copy;
    if (headers != nullptr) copy.headers_ = rd_kafka_headers_copy(headers);
    return copy;
  }
  /// Takes ownership of `headers`, which may be null.
  static Headers adopt(rd_kafka_headers_t* headers) {
    Headers adopted;
    adopted.headers_ = headers;
    return adopted;
  }
  ~Headers() {
    if (headers_ != nullptr) rd_kafka_headers_destroy(headers_);
  }
  Headers(Headers&& other) noexcept : headers_(other.release()) {}
  Headers& operator=(Headers&& other) noexcept {
    if (this != &other) {
      if (headers_ != nullptr) rd_kafka_headers_destroy(headers_);
      headers_ = other.release();
    }
    return *this;
  }
  Headers(const Headers&) = delete;
  Headers& operator=(const Headers&) = delete;

  /// Copies `value`; a null `value` is a header without a value.
  void add(const char* name, const void* value, size_t size) {
    if (headers_ == nullptr) headers_ = rd_kafka_headers_new(1);
    rd_kafka_header_add(headers_, name, -1, value,
                        value == nullptr ? -1 : static_cast<ssize_t>(size));
  }
  void add(const char* name, std::string_view value) {
    add(name, value.data(), value.size());
  }

  /// Null when there are none; the caller takes ownership.
  rd_kafka_headers_t* release() {
    rd_kafka_headers_t* released = headers_;
    headers_ = nullptr;
    return released;
  }

 private:
  rd_kafka_headers_t* headers_ = nullptr;
};

}  // namespace rdconnect::kafka
