// The one set-based statement that moves a staged batch into the target.
#pragma once

#include <string>
#include <vector>

#include "identifier.hpp"
#include "postgres_sink_options.hpp"
#include "row_layout.hpp"

namespace rdconnect::postgres_sink {

struct MergeSpec {
  TableName target;
  TargetColumn key;
  std::vector<TargetColumn> values;
  WriteMode mode;
  bool delete_on_tombstone;
};

/// The statement, reading the staging table as `s`. With exactly_once, what
/// is staged is only what the stored offsets say is not written yet (see
/// OffsetStore::lock).
///
/// upsert: the last staged record per key wins (highest batch_seq); when it
/// is a tombstone and delete_on_tombstone is set the row is deleted,
/// otherwise it is inserted or updated. Without delete_on_tombstone,
/// tombstones are ignored. insert: every staged record becomes a row; a
/// record already written (same coordinates) is skipped.
std::string merge_statement(const MergeSpec& spec);

}  // namespace rdconnect::postgres_sink
