#include "common/nearest_name.hpp"

#include <algorithm>
#include <vector>

namespace rdconnect {
namespace {

// Shorter names are part of too many others to say which was meant.
constexpr size_t kMinPartLength = 4;

// Spellings that differ only in case or in the separator are one name:
// "flush.interval.ms", "Flush-Interval-Ms" and "flush_interval_ms".
std::string folded(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    if (c == '-' || c == '.') c = '_';
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out.push_back(c);
  }
  return out;
}

// Optimal string alignment distance: Levenshtein plus swaps of two
// neighbours ("flsuh"), the commonest typo.
size_t edit_distance(std::string_view a, std::string_view b) {
  const size_t columns = b.size() + 1;
  std::vector<size_t> d((a.size() + 1) * columns);
  auto at = [&](size_t i, size_t j) -> size_t& { return d[i * columns + j]; };
  for (size_t i = 0; i <= a.size(); ++i) at(i, 0) = i;
  for (size_t j = 0; j <= b.size(); ++j) at(0, j) = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      at(i, j) = std::min(
          {at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
      }
    }
  }
  return at(a.size(), b.size());
}

}  // namespace

std::optional<std::string> nearest_name(std::string_view name,
                                        std::span<const std::string> known) {
  if (std::find(known.begin(), known.end(), name) != known.end()) {
    return std::nullopt;
  }
  const std::string wanted = folded(name);
  const size_t limit = wanted.size() / 3;
  std::optional<std::string> best;
  size_t best_distance = limit + 1;
  for (const std::string& candidate : known) {
    // The distance is at least the difference in length; checking that
    // first keeps a hostile megabyte-long key from costing a huge table.
    const size_t shorter = std::min(wanted.size(), candidate.size());
    const size_t longer = std::max(wanted.size(), candidate.size());
    if (longer - shorter > limit) continue;
    const size_t distance = edit_distance(wanted, folded(candidate));
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  if (best || wanted.size() < kMinPartLength) return best;
  // A part of the name: "group" for "group_id", "timeout_ms" for
  // "retry_timeout_ms". The shortest such candidate adds the least.
  for (const std::string& candidate : known) {
    if (folded(candidate).find(wanted) == std::string::npos) continue;
    if (!best || candidate.size() < best->size()) best = candidate;
  }
  return best;
}

std::string did_you_mean(std::string_view name,
                         std::span<const std::string> known) {
  const std::optional<std::string> nearest = nearest_name(name, known);
  return nearest ? " (did you mean '" + *nearest + "'?)" : std::string();
}

}  // namespace rdconnect
