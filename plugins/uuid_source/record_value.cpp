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

void append_record_value(std::string_view id, uint64_t seq,
                         std::chrono::system_clock::time_point created_at,
                         size_t target_bytes, std::string& out) {
  const size_t start = out.size();
  out.reserve(start + std::max(target_bytes, kMaxUnpaddedSize));
  append_fields(id, seq, created_at, out);
  const size_t closed_size = out.size() - start + 1;
  if (target_bytes >= closed_size + kPayloadOverhead) {
    out.append(kPayloadOpening);
    out.append(target_bytes - closed_size - kPayloadOverhead, kPayloadFill);
    out.append(kPayloadClosing);
  }
  out.push_back('}');
}

}  // namespace rdconnect::uuid_source
