#include "ack_tracker.hpp"

namespace file_source {

void AckTracker::sent(const Entry& line) {
  in_flight_.insert_or_assign(line.end, Tracked{line, State::kSent});
}

void AckTracker::delivered(uint64_t end) {
  const auto found = in_flight_.find(end);
  if (found == in_flight_.end() || found->second.state != State::kSent) return;
  found->second.state = State::kDelivered;
}

void AckTracker::failed(uint64_t end) {
  const auto found = in_flight_.find(end);
  if (found == in_flight_.end() || found->second.state != State::kSent) return;
  found->second.state = State::kFailed;
  ++failed_count_;
}

bool AckTracker::advance() {
  bool moved = false;
  while (!in_flight_.empty() &&
         in_flight_.begin()->second.state == State::kDelivered) {
    const Entry& line = in_flight_.begin()->second.line;
    committed_ = {line.end, line.number};
    in_flight_.erase(in_flight_.begin());
    moved = true;
  }
  return moved;
}

std::vector<AckTracker::Entry> AckTracker::take_failed(size_t max) {
  std::vector<Entry> lines;
  // failed_count_ lets the common case (nothing failed) skip the scan.
  for (auto at = in_flight_.begin();
       failed_count_ > 0 && lines.size() < max && at != in_flight_.end();
       ++at) {
    if (at->second.state != State::kFailed) continue;
    at->second.state = State::kSent;
    --failed_count_;
    lines.push_back(at->second.line);
  }
  return lines;
}

void AckTracker::forget(uint64_t end) {
  const auto found = in_flight_.find(end);
  if (found == in_flight_.end()) return;
  if (found->second.state == State::kFailed) --failed_count_;
  in_flight_.erase(found);
}

}  // namespace file_source
