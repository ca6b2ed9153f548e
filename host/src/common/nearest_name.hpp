// "Did you mean ...?" for a name that is not among the known ones.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace rdconnect {

/// The candidate `name` was most likely meant as: the one at the smallest
/// edit distance (insertions, deletions, substitutions and swaps of two
/// neighbouring characters; case, '_', '-' and '.' do not count apart), if
/// that distance is at most a third of the name's length (none for names
/// of 1 or 2 characters, but for case and separators), ties going to the
/// earlier candidate; else the shortest candidate that
/// holds the whole name (of 4 characters or more) as a part. nullopt when
/// nothing is that close, or when `name` is a candidate itself.
std::optional<std::string> nearest_name(std::string_view name,
                                        std::span<const std::string> known);

/// " (did you mean 'NAME'?)" for the nearest_name(), or "" when there is
/// none: ready to append to an error message.
std::string did_you_mean(std::string_view name,
                         std::span<const std::string> known);

}  // namespace rdconnect
