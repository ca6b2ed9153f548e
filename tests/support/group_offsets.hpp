// What a consumer group has committed, read the way Kafka tools read it:
// an OffsetFetch by a client that never joins the group.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace rdconnect::testing {

/// The offset `group` committed for topic[partition] (the next record it
/// will read), or nullopt when it committed none.
std::optional<int64_t> committed_offset(const std::string& group,
                                        const std::string& topic,
                                        int32_t partition);

/// The node id of the broker coordinating `group` (which must exist).
int32_t group_coordinator(const std::string& group);

/// How many members the coordinator counts in `group` (which must exist).
int group_member_count(const std::string& group);

}  // namespace rdconnect::testing
