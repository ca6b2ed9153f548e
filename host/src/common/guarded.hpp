// A value several threads share, read and changed under its own lock: for
// the few figures a connector publishes that an atomic cannot hold (lists
// of partitions). Readers get a copy, so no reference outlives the lock.
#pragma once

#include <mutex>
#include <utility>

namespace rdconnect {

template <typename T>
class Guarded {
 public:
  T get() const {
    const std::lock_guard lock(mutex_);
    return value_;
  }

  void set(T value) {
    const std::lock_guard lock(mutex_);
    value_ = std::move(value);
  }

  /// Calls `change(T&)` under the lock; it must be quick and must not
  /// block.
  template <typename Change>
  void update(Change&& change) {
    const std::lock_guard lock(mutex_);
    std::forward<Change>(change)(value_);
  }

 private:
  mutable std::mutex mutex_;
  T value_{};
};

}  // namespace rdconnect
