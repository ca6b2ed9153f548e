#include "dsn.hpp"

#include <libpq-fe.h>

#include <map>
#include <memory>
#include <stdexcept>

namespace rdconnect::postgres_sink {
namespace {

constexpr std::string_view kRedacted = "***";

struct OptionsDeleter {
  void operator()(PQconninfoOption* options) const { PQconninfoFree(options); }
};

std::map<std::string, std::string> parse(const std::string& text) {
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, OptionsDeleter> options(
      PQconninfoParse(text.c_str(), &error));
  if (options == nullptr) {
    // libpq's reason may quote the text, password included.
    PQfreemem(error);
    throw std::invalid_argument(
        "postgres_sink: config key 'dsn' is not a valid PostgreSQL connection "
        "string; expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE or "
        "\"host=... user=... password=... dbname=...\"");
  }
  std::map<std::string, std::string> values;
  for (const PQconninfoOption* option = options.get(); option->keyword;
       ++option) {
    if (option->val != nullptr) values[option->keyword] = option->val;
  }
  return values;
}

std::string describe(const std::map<std::string, std::string>& values) {
  auto value_of = [&](const char* key) {
    auto found = values.find(key);
    return found == values.end() ? std::string() : found->second;
  };
  std::string description = "postgresql://";
  if (const std::string user = value_of("user"); !user.empty()) {
    description += user + "@";
  }
  std::string host = value_of("host");
  if (host.empty()) host = value_of("hostaddr");
  description += host;
  if (const std::string port = value_of("port"); !port.empty()) {
    description += ":" + port;
  }
  if (const std::string dbname = value_of("dbname"); !dbname.empty()) {
    description += "/" + dbname;
  }
  return description;
}

void replace_all(std::string& text, std::string_view what,
                 std::string_view with) {
  if (what.empty()) return;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + with.size())) {
    text.replace(at, what.size(), with);
  }
}

}  // namespace

Dsn::Dsn(std::string text) : text_(std::move(text)) {
  const std::map<std::string, std::string> values = parse(text_);
  if (auto password = values.find("password"); password != values.end()) {
    password_ = password->second;
  }
  description_ = describe(values);
}

std::string Dsn::redact(std::string_view message) const {
  std::string redacted(message);
  replace_all(redacted, text_, description_);
  replace_all(redacted, password_, kRedacted);
  return redacted;
}

}  // namespace rdconnect::postgres_sink
