#include "identifier.hpp"

#include <stdexcept>

namespace rdconnect::postgres_sink {

std::string quote_identifier(std::string_view name) {
  if (name.empty()) {
    throw std::invalid_argument("an SQL identifier must not be empty");
  }
  if (name.find('\0') != std::string_view::npos) {
    throw std::invalid_argument("an SQL identifier must not contain a NUL");
  }
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string quote_literal(std::string_view text) {
  std::string quoted = "E'";
  for (char c : text) {
    if (c == '\'' || c == '\\') quoted += c;
    quoted += c;
  }
  quoted += '\'';
  return quoted;
}

std::string TableName::quoted() const {
  return quote_identifier(schema) + "." + quote_identifier(table);
}

}  // namespace rdconnect::postgres_sink
