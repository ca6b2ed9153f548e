#include "schema/registry_client.hpp"

#include <httplib.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/error.hpp"

namespace rdconnect::schema {
namespace {

constexpr int kNotFound = 404;
constexpr int kTooManyRequests = 429;
// Confluent's error_code for "Schema not found" (Apicurio's ccompat API
// answers the same); a 404 with another code is a wrong URL.
constexpr int kSchemaNotFoundCode = 40403;

// "http://host:port/some/path" -> {"http://host:port", "/some/path"}; the
// URL was checked when the config was read.
std::pair<std::string, std::string> split_url(const std::string& url) {
  const size_t authority = url.find("://") + 3;
  const size_t path = url.find('/', authority);
  if (path == std::string::npos) return {url, ""};
  return {url.substr(0, path), url.substr(path)};
}

// Confluent's error codes of a subject that does not exist, and the HTTP
// statuses of a schema refused as invalid or incompatible.
constexpr int kSubjectNotFoundCode = 40401;
constexpr int kUnprocessable = 422;
constexpr int kConflict = 409;
// Of the registry's own words in a message: it may quote the whole schema.
constexpr size_t kMaxQuotedMessage = 300;

nlohmann::json parsed(const std::string& body) {
  return nlohmann::json::parse(body, nullptr, false);
}

// Confluent's error_code of an answer, 0 when it has none.
int error_code_of(const std::string& body) {
  const nlohmann::json answer = parsed(body);
  if (!answer.is_object() || !answer.contains("error_code") ||
      !answer["error_code"].is_number_integer()) {
    return 0;
  }
  return answer["error_code"].get<int>();
}

bool is_schema_not_found(const std::string& body) {
  return error_code_of(body) == kSchemaNotFoundCode;
}

std::string message_of(const std::string& body) {
  const nlohmann::json answer = parsed(body);
  std::string message = answer.is_object() && answer.contains("message") &&
                                answer["message"].is_string()
                            ? answer["message"].get<std::string>()
                            : body;
  if (message.size() > kMaxQuotedMessage) {
    message = message.substr(0, kMaxQuotedMessage) + "...";
  }
  return message;
}

// The body of a request that carries a schema; AVRO is the default type and
// left out, as Confluent's own clients do.
std::string schema_body(std::string_view type, const std::string& schema) {
  nlohmann::json body{{"schema", schema}};
  if (type != "AVRO") body["schemaType"] = type;
  return body.dump();
}

std::optional<int32_t> id_of(const std::string& body) {
  const nlohmann::json answer = parsed(body);
  if (!answer.is_object() || !answer.contains("id") ||
      !answer["id"].is_number_integer()) {
    return std::nullopt;
  }
  return answer["id"].get<int32_t>();
}

RegisteredSchema parse_schema(int32_t id, const std::string& body,
                              const std::string& url) {
  const nlohmann::json answer = parsed(body);
  if (!answer.is_object() || !answer.contains("schema") ||
      !answer["schema"].is_string()) {
    throw Error::fatal(fmt::format(
        "schema registry {} answered GET /schemas/ids/{} without a \"schema\" "
        "string; is url the registry's Confluent-compatible API (for "
        "Apicurio, .../apis/ccompat/v7)?",
        url, id));
  }
  RegisteredSchema schema{id, "AVRO", answer["schema"].get<std::string>()};
  if (answer.contains("schemaType") && answer["schemaType"].is_string()) {
    schema.type = answer["schemaType"].get<std::string>();
  }
  return schema;
}

}  // namespace

RegistryClient::RegistryClient(const config::SchemaRegistrySettings& settings)
    : url_(settings.url) {
  auto [base, prefix] = split_url(settings.url);
  path_prefix_ = std::move(prefix);
  client_ = std::make_unique<httplib::Client>(base);
  const auto timeout = std::chrono::milliseconds(settings.timeout_ms);
  client_->set_connection_timeout(timeout);
  client_->set_read_timeout(timeout);
  client_->set_write_timeout(timeout);
  client_->set_keep_alive(true);
  if (!settings.username.empty()) {
    client_->set_basic_auth(settings.username, settings.password);
  }
}

RegistryClient::~RegistryClient() = default;

// Failures every request shares: unreachable, overloaded, refused.
void RegistryClient::throw_unless_answered(const httplib::Result& result,
                                           const std::string& what) const {
  if (!result) {
    throw Error::retriable(fmt::format("schema registry {} unreachable: {}",
                                       url_,
                                       httplib::to_string(result.error())));
  }
  const int status = result->status;
  if (status >= 500 || status == kTooManyRequests) {
    throw Error::retriable(fmt::format(
        "schema registry {} answered HTTP {} for {}", url_, status, what));
  }
  if (status == 401 || status == 403) {
    throw Error::fatal(
        fmt::format("schema registry {} answered HTTP {} for {}; check "
                    "schema_registry.username and password",
                    url_, status, what));
  }
}

int32_t RegistryClient::register_schema(const std::string& subject,
                                        std::string_view type,
                                        const std::string& schema) {
  const std::string what = "registering a schema under " + subject;
  const httplib::Result result = client_->Post(
      fmt::format("{}/subjects/{}/versions", path_prefix_, subject),
      schema_body(type, schema), "application/vnd.schemaregistry.v1+json");
  throw_unless_answered(result, what);
  if (result->status == 200) {
    if (std::optional<int32_t> id = id_of(result->body)) return *id;
  }
  if (result->status == kConflict || result->status == kUnprocessable) {
    throw Error::permanent(fmt::format(
        "schema registry {} refused the schema for subject {} (HTTP {}): {}; "
        "fix value_schema, or the subject's compatibility setting",
        url_, subject, result->status, message_of(result->body)));
  }
  throw Error::fatal(
      fmt::format("schema registry {} answered HTTP {} for {}: {}; check "
                  "schema_registry.url",
                  url_, result->status, what, message_of(result->body)));
}

std::optional<int32_t> RegistryClient::find_schema(const std::string& subject,
                                                   std::string_view type,
                                                   const std::string& schema) {
  const std::string what = "looking up a schema under " + subject;
  const httplib::Result result = client_->Post(
      fmt::format("{}/subjects/{}", path_prefix_, subject),
      schema_body(type, schema), "application/vnd.schemaregistry.v1+json");
  throw_unless_answered(result, what);
  if (result->status == 200) {
    if (std::optional<int32_t> id = id_of(result->body)) return id;
  }
  const int code = error_code_of(result->body);
  if (result->status == 404 &&
      (code == kSubjectNotFoundCode || code == kSchemaNotFoundCode)) {
    return std::nullopt;
  }
  throw Error::fatal(
      fmt::format("schema registry {} answered HTTP {} for {}: {}; check "
                  "schema_registry.url",
                  url_, result->status, what, message_of(result->body)));
}

std::optional<RegisteredSchema> RegistryClient::schema_by_id(int32_t id) {
  const std::string path = fmt::format("{}/schemas/ids/{}", path_prefix_, id);
  const httplib::Result result =
      client_->Get(path, {{"Accept",
                           "application/vnd.schemaregistry.v1+json, "
                           "application/json"}});
  throw_unless_answered(result, fmt::format("schema id {}", id));
  const int status = result->status;
  if (status == 200) return parse_schema(id, result->body, url_);
  if (status == kNotFound && is_schema_not_found(result->body)) {
    return std::nullopt;
  }
  throw Error::fatal(
      fmt::format("schema registry {} answered HTTP {} for schema id {}; check "
                  "schema_registry.url",
                  url_, status, id));
}

}  // namespace rdconnect::schema
