#include "http/control_server.hpp"

#include <httplib.h>

#include <cstring>

#include <spdlog/spdlog.h>

#include "common/error.hpp"
#include "http/status_json.hpp"

namespace rdconnect::http {
namespace {

using namespace std::chrono_literals;

// Every request body the API takes is small (a few hundred bytes of JSON);
// larger ones are refused before they are read whole.
constexpr size_t kMaxBodyBytes = 1 << 20;
// A client that stalls mid-request must not hold a server thread.
constexpr auto kReadTimeout = 10s;
constexpr auto kWriteTimeout = 10s;

// No timing hints about the token: every byte is compared.
bool equal_in_constant_time(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char difference = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return difference == 0;
}

// Invalid UTF-8 (a plugin's error text) is replaced rather than thrown on.
void write_json(httplib::Response& response, int status,
                const nlohmann::json& body) {
  response.status = status;
  if (body.is_null()) return;
  response.set_content(
      body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
          "\n",
      "application/json");
}

std::string refusal_message(int status) {
  switch (status) {
    case 400:
      return "malformed HTTP request";
    case 413:
      return "request body over " + std::to_string(kMaxBodyBytes) + " bytes";
    case 414:
      return "request URI too long";
    default:
      return "request refused (HTTP " + std::to_string(status) + ")";
  }
}

ApiRequest to_api_request(const httplib::Request& request) {
  ApiRequest api{request.method, request.path, {}, request.body};
  for (const auto& [key, value] : request.params) api.query[key] = value;
  return api;
}

}  // namespace

ControlServer::ControlServer(const config::HostSettings& settings,
                             runtime::ConnectorRegistry& registry,
                             plugin::PluginFinder plugins)
    : token_(settings.http_token),
      server_(std::make_unique<httplib::Server>()) {
  const config::ListenAddress& listen = settings.http_listen.value();
  server_->set_payload_max_length(kMaxBodyBytes);
  server_->set_read_timeout(kReadTimeout);
  server_->set_write_timeout(kWriteTimeout);
  int port = listen.port;
  const bool bound = listen.port == 0
                         ? (port = server_->bind_to_any_port(listen.host)) > 0
                         : server_->bind_to_port(listen.host, listen.port);
  if (!bound) {
    throw Error::fatal("cannot listen on " + listen.to_string() + " (" +
                       std::strerror(errno) +
                       "); is another process using the port? Change "
                       "[host] http_listen or --http-listen");
  }
  config::ListenAddress actual = listen;
  actual.port = static_cast<uint16_t>(port);
  address_ = actual.to_string();
  api_ = std::make_unique<ControlApi>(registry, address_, std::move(plugins));
  route_everything();
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  spdlog::info("HTTP control API listening on http://{}{}", address_,
               token_.empty() ? "" : " (bearer token required)");
}

ControlServer::~ControlServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

// ControlApi does the routing, so that it can tell a 404 from a 405;
// httplib only hands every request over.
void ControlServer::route_everything() {
  const auto handle = [this](const httplib::Request& request,
                             httplib::Response& response) {
    if (request.path != "/healthz" &&
        !authorized(request.get_header_value("Authorization"))) {
      response.set_header("WWW-Authenticate", "Bearer");
      write_json(response, 401,
                 error_json(401,
                            "missing or wrong bearer token; send "
                            "'Authorization: Bearer <[host] "
                            "http_token>'"));
      return;
    }
    const ApiResponse answer = api_->handle(to_api_request(request));
    if (!answer.allow.empty()) response.set_header("Allow", answer.allow);
    if (!answer.content_type.empty()) {
      response.status = answer.status;
      response.set_content(answer.text, answer.content_type);
      return;
    }
    write_json(response, answer.status, answer.body);
  };
  // httplib 0.11 refuses a PUT or POST without Content-Length (400) before
  // routing, yet `curl -X PUT` sends none. A request without a body is
  // answered before that step; one with a body is read first, under the
  // size limit.
  server_->set_pre_routing_handler(
      [handle](const httplib::Request& request, httplib::Response& response) {
        if (request.has_header("Content-Length") ||
            request.has_header("Transfer-Encoding")) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        handle(request, response);
        return httplib::Server::HandlerResponse::Handled;
      });
  const std::string any = ".*";
  server_->Get(any, handle);
  server_->Post(any, handle);
  server_->Put(any, handle);
  server_->Delete(any, handle);
  server_->Patch(any, handle);
  server_->Options(any, handle);
  // What httplib answers itself (413 for a body over the limit, 400 for a
  // malformed request) gets a JSON body too.
  server_->set_error_handler([](const httplib::Request&,
                                httplib::Response& response) {
    if (!response.body.empty()) return;
    write_json(response, response.status,
               error_json(response.status, refusal_message(response.status)));
  });
}

bool ControlServer::authorized(const std::string& authorization) const {
  if (token_.empty()) return true;
  constexpr std::string_view kScheme = "Bearer ";
  if (!authorization.starts_with(kScheme)) return false;
  return equal_in_constant_time(authorization.substr(kScheme.size()), token_);
}

}  // namespace rdconnect::http
