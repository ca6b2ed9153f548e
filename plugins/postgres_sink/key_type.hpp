// The SQL type of the key column: uuid when every key is a UUID, else text.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace rdconnect::postgres_sink {

enum class KeyType { kUuid, kText };

/// True for the canonical textual form 8-4-4-4-12 hex digits (any case),
/// e.g. "123e4567-e89b-12d3-a456-426614174000".
bool is_uuid(std::string_view text);

/// The type a new key column gets for these keys: kUuid when there is at
/// least one key and every key is a UUID; null keys do not count.
KeyType key_type_for(std::span<const std::optional<std::string>> keys);

/// "uuid" or "text".
std::string_view sql_type(KeyType type);

/// The key type of an existing column of SQL type `sql_type_name` (as
/// format_type() prints it): kUuid for "uuid", kText for anything else.
KeyType key_type_of_column(std::string_view sql_type_name);

}  // namespace rdconnect::postgres_sink
