// Unit tests of the "did you mean" suggestion for unknown names.
#include "common/nearest_name.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace rdconnect {
namespace {

const std::vector<std::string> kSinkKeys = {"name",
                                            "plugin",
                                            "topics",
                                            "group_id",
                                            "tasks",
                                            "flush_interval_ms",
                                            "max_batch_records",
                                            "max_record_bytes",
                                            "topic_creation",
                                            "kafka",
                                            "call_timeout_ms",
                                            "errors",
                                            "restart",
                                            "config"};

TEST(NearestNameTest, SuggestsTheNameOneTypoAway) {
  EXPECT_EQ(nearest_name("topic", kSinkKeys), "topics");   // deletion
  EXPECT_EQ(nearest_name("taskss", kSinkKeys), "tasks");   // insertion
  EXPECT_EQ(nearest_name("plugon", kSinkKeys), "plugin");  // substitution
  EXPECT_EQ(nearest_name("cofnig", kSinkKeys), "config");  // swap
}

TEST(NearestNameTest, IgnoresCaseAndSeparators) {
  EXPECT_EQ(nearest_name("Flush.Interval.Ms", kSinkKeys), "flush_interval_ms");
  EXPECT_EQ(nearest_name("max-batch-records", kSinkKeys), "max_batch_records");
}

TEST(NearestNameTest, AllowsAThirdOfTheNameInEdits) {
  // 3 edits in 14 characters; in 3 only 1.
  EXPECT_EQ(nearest_name("flush_interval", kSinkKeys), "flush_interval_ms");
  EXPECT_EQ(nearest_name("kfk", kSinkKeys), std::nullopt);
  EXPECT_EQ(nearest_name("xyzzy", kSinkKeys), std::nullopt);
  // One edit in one or two characters is a different name.
  const std::vector<std::string> letters = {"a", "bc"};
  EXPECT_EQ(nearest_name("x", letters), std::nullopt);
  EXPECT_EQ(nearest_name("bd", letters), std::nullopt);
  EXPECT_EQ(nearest_name("BC", letters), "bc");
}

TEST(NearestNameTest, FallsBackToTheShortestNameHoldingItAsAPart) {
  EXPECT_EQ(nearest_name("group", kSinkKeys), "group_id");
  EXPECT_EQ(nearest_name("timeout_ms", kSinkKeys), "call_timeout_ms");
  EXPECT_EQ(nearest_name("records", kSinkKeys), "max_batch_records");
  // Three characters are part of too many names to choose.
  EXPECT_EQ(nearest_name("max", kSinkKeys), std::nullopt);
}

TEST(NearestNameTest, PrefersTheCloserNameAndThenTheEarlierOne) {
  const std::vector<std::string> known = {"batch_max_records",
                                          "batch_max_rows"};
  EXPECT_EQ(nearest_name("batch_max_row", known), "batch_max_rows");
  const std::vector<std::string> tied = {"mode_a", "mode_b"};
  EXPECT_EQ(nearest_name("mode_c", tied), "mode_a");
}

TEST(NearestNameTest, AHugeNameIsNoNearerToAnythingThanItsLengthAllows) {
  // Its distance to any candidate is at least the difference in length.
  EXPECT_EQ(nearest_name(std::string(1 << 20, 'x'), kSinkKeys), std::nullopt);
  EXPECT_EQ(nearest_name("config" + std::string(2, 'x'), kSinkKeys), "config");
}

TEST(NearestNameTest, AKnownNameOrNoCandidatesSuggestNothing) {
  EXPECT_EQ(nearest_name("tasks", kSinkKeys), std::nullopt);
  EXPECT_EQ(nearest_name("tasks", {}), std::nullopt);
}

TEST(NearestNameTest, DidYouMeanIsReadyToAppendOrEmpty) {
  EXPECT_EQ(did_you_mean("topic", kSinkKeys), " (did you mean 'topics'?)");
  EXPECT_EQ(did_you_mean("xyzzy", kSinkKeys), "");
}

}  // namespace
}  // namespace rdconnect
