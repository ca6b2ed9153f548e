#include "runtime/join_order.hpp"

namespace rdconnect::runtime {

void JoinOrder::first_joined() {
  {
    std::lock_guard lock(mutex_);
    joined_ = true;
  }
  joined_changed_.notify_all();
}

void JoinOrder::wait_for_first(std::stop_token stop,
                               std::chrono::milliseconds limit) {
  std::unique_lock lock(mutex_);
  joined_changed_.wait_for(lock, stop, limit, [this] { return joined_; });
}

}  // namespace rdconnect::runtime
