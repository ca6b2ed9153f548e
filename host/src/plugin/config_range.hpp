// The values a config-map entry allows beyond its type: min_value and
// max_value of numbers, non_empty of strings. Shared by the descriptor check
// (is the default allowed?), the [*.config] check and --describe.
#pragma once

#include <string>
#include <string_view>

#include <rdconnect/plugin.h>

namespace rdconnect::plugin {

/// Whether `text` is the textual form rdc_config_value promises for `type`:
/// a decimal int64, a double, "true" / "false", any string.
bool is_textual_form_of(rdc_config_type type, std::string_view text);

/// Whether `value`, in the textual form of entry.type, is within the
/// entry's bounds (inclusive; NaN is within none) and, for a non_empty
/// string, not empty. Bounds that are not in textual form (the descriptor
/// check refuses those) do not restrict.
bool is_within_range(const rdc_config_entry& entry, std::string_view value);

/// What the entry allows, to complete "expected ...": "an integer from 1 to
/// 10", "a number of at least 0", "a non-empty string"; empty when the entry
/// has no range.
std::string range_expectation(const rdc_config_entry& entry);

/// The same, short, for a table: "1 to 10", ">= 0", "<= 5", "non-empty".
std::string range_summary(const rdc_config_entry& entry);

}  // namespace rdconnect::plugin
