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

bool is_schema_not_found(const std::string& body) {
  const nlohmann::json answer = nlohmann::json::parse(body, nullptr, false);
  return answer.is_object() &&
         answer.value("error_code", 0) == kSchemaNotFoundCode;
}

RegisteredSchema parse_schema(int32_t id, const std::string& body,
                              const std::string& url) {
  const nlohmann::json answer = nlohmann::json::parse(body, nullptr, false);
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

std::optional<RegisteredSchema> RegistryClient::schema_by_id(int32_t id) {
  const std::string path = fmt::format("{}/schemas/ids/{}", path_prefix_, id);
  const httplib::Result result =
      client_->Get(path, {{"Accept",
                           "application/vnd.schemaregistry.v1+json, "
                           "application/json"}});
  if (!result) {
    throw Error::retriable(fmt::format("schema registry {} unreachable: {}",
                                       url_,
                                       httplib::to_string(result.error())));
  }
  const int status = result->status;
  if (status == 200) return parse_schema(id, result->body, url_);
  if (status == kNotFound && is_schema_not_found(result->body)) {
    return std::nullopt;
  }
  if (status >= 500 || status == kTooManyRequests) {
    throw Error::retriable(
        fmt::format("schema registry {} answered HTTP {} for schema id {}",
                    url_, status, id));
  }
  throw Error::fatal(
      fmt::format("schema registry {} answered HTTP {} for schema id {}{}",
                  url_, status, id,
                  status == 401 || status == 403
                      ? "; check [sink.schema_registry] username and password"
                      : "; check [sink.schema_registry] url"));
}

}  // namespace rdconnect::schema
