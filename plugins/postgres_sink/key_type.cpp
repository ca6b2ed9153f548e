#include "key_type.hpp"

#include <cctype>

namespace rdconnect::postgres_sink {

bool is_uuid(std::string_view text) {
  constexpr std::string_view kShape = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
  if (text.size() != kShape.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (kShape[i] == '-' ? c != '-' : !std::isxdigit(c)) return false;
  }
  return true;
}

KeyType key_type_for(std::span<const std::optional<std::string>> keys) {
  bool any = false;
  for (const std::optional<std::string>& key : keys) {
    if (!key) continue;
    if (!is_uuid(*key)) return KeyType::kText;
    any = true;
  }
  return any ? KeyType::kUuid : KeyType::kText;
}

std::string_view sql_type(KeyType type) {
  return type == KeyType::kUuid ? "uuid" : "text";
}

KeyType key_type_of_column(std::string_view sql_type_name) {
  return sql_type_name == "uuid" ? KeyType::kUuid : KeyType::kText;
}

}  // namespace rdconnect::postgres_sink
