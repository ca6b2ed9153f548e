#include "record_value.hpp"

#include <algorithm>
#include <charconv>

#include "rfc3339.hpp"

namespace rdconnect::uuid_source {
namespace {

constexpr std::string_view kPayloadOpening = ",\"payload\":\"";
constexpr std::string_view kPayloadClosing = "\"";
constexpr char kPayloadFill = 'x';
constexpr size_t kPayloadOverhead =
    kPayloadOpening.size() + kPayloadClosing.size();
// Room for the longest value without payload: a 20-digit seq.
constexpr size_t kMaxUnpaddedSize = 128;

void append_fields(std::string_view id, uint64_t seq,
                   std::chrono::system_clock::time_point created_at,
                   std::string& out) {
  out.append("{\"id\":\"").append(id).append("\",\"seq\":");
  char digits[20];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, seq).ptr);
  out.append(",\"created_at\":\"");
  append_rfc3339_millis(created_at, out);
  out.push_back('"');
}

}  // namespace

std::string make_record_value(std::string_view id, uint64_t seq,
                              std::chrono::system_clock::time_point created_at,
                              size_t target_bytes) {
  std::string value;
  value.reserve(std::max(target_bytes, kMaxUnpaddedSize));
  append_fields(id, seq, created_at, value);
  const size_t closed_size = value.size() + 1;
  if (target_bytes >= closed_size + kPayloadOverhead) {
    value.append(kPayloadOpening);
    value.append(target_bytes - closed_size - kPayloadOverhead, kPayloadFill);
    value.append(kPayloadClosing);
  }
  value.push_back('}');
  return value;
}

}  // namespace rdconnect::uuid_source
