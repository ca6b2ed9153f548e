// The fixture of the control API's tests: a host run with its API on a
// free port, and requests, metrics and status read from it.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>

#include "host_fixture.hpp"

namespace rdconnect::testing {

using namespace std::chrono_literals;
using nlohmann::json;

inline int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline size_t occurrences(const std::string& text, const std::string& what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + 1)) {
    ++count;
  }
  return count;
}

struct Reply {
  int status = 0;
  json body;
  std::string allow;
};

class ControlApiTest : public HostTest {
 protected:
  std::string config(int64_t count, int64_t rate,
                     const std::string& host_extra = "", int tasks = 2) {
    topic_ = unique_name("control");
    return std::string(kConfigPrelude) + host_extra +
           "[[source]]\nname = \"uuids\"\nplugin = \"uuid_source\"\n"
           "topic = \"" +
           topic_ +
           "\"\n[source.topic_creation]\npartitions = 2\n"
           "[source.config]\ncount = " +
           std::to_string(count) + "\nrate = " + std::to_string(rate) +
           "\n[[sink]]\nname = \"log\"\nplugin = \"log_sink\"\ntopics = [\"" +
           topic_ + "\"]\ngroup_id = \"" + unique_name("control-log") +
           "\"\ntasks = " + std::to_string(tasks) +
           "\nflush_interval_ms = 200\n"
           "[sink.config]\npath = \"" +
           (scratch_ / "log.jsonl").string() + "\"\nformat = \"json\"\n";
  }

  /// Starts the host with the API on a free port and waits for its address.
  void start(const std::string& toml,
             std::vector<std::string> args = {"--http-listen", "127.0.0.1:0"}) {
    host_ = start_host(write_config("control.toml", toml), std::move(args));
    const int port = port_ = wait_for_http_port(*host_);
    ASSERT_NE(port, 0);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port);
    client_->set_read_timeout(70, 0);
  }

  Reply request(const std::string& method, const std::string& path,
                const httplib::Headers& headers = {},
                const std::string& body = "") {
    httplib::Result result =
        method == "GET"    ? client_->Get(path, headers)
        : method == "PUT"  ? client_->Put(path, headers, body, "text/plain")
        : method == "POST" ? client_->Post(path, headers, body, "text/plain")
                           : client_->Delete(path, headers);
    if (!result) {
      ADD_FAILURE() << method << " " << path << ": no answer ("
                    << httplib::to_string(result.error()) << ")";
      return {};
    }
    Reply reply{result->status, nullptr, result->get_header_value("Allow")};
    if (!result->body.empty()) reply.body = json::parse(result->body);
    return reply;
  }

  std::string metrics() {
    httplib::Result result = client_->Get("/metrics");
    if (!result || result->status != 200) {
      ADD_FAILURE() << "GET /metrics failed";
      return "";
    }
    EXPECT_EQ(result->get_header_value("Content-Type"),
              "text/plain; version=0.0.4; charset=utf-8");
    return result->body;
  }

  /// The value of the sample `series` ("name{labels}"), or -1 if absent.
  double sample(const std::string& series) {
    const std::string text = metrics();
    const size_t at = text.find("\n" + series + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + series.size() + 2));
  }

  /// A metric's series of one partition of the log sink's topic.
  std::string partition_series(const std::string& name, int partition) {
    return name + "{connector=\"log\",type=\"sink\",topic=\"" + topic_ +
           "\",partition=\"" + std::to_string(partition) + "\"}";
  }

  json offsets(const std::string& connector) {
    const Reply reply = request("GET", "/connectors/" + connector + "/offsets");
    EXPECT_EQ(reply.status, 200) << reply.body.dump();
    return reply.body;
  }

  /// Whether the sink's offsets list `partitions` entries, each meeting
  /// `expected`; false while the host has not registered the sink yet.
  bool every_partition(const std::string& connector, size_t partitions,
                       const std::function<bool(const json&)>& expected) {
    const Reply reply = request("GET", "/connectors/" + connector + "/offsets");
    if (reply.status != 200 || reply.body["offsets"].size() != partitions) {
      return false;
    }
    return std::all_of(reply.body["offsets"].begin(),
                       reply.body["offsets"].end(), expected);
  }

  bool sink_caught_up(const std::string& connector) {
    return every_partition(connector, 2,
                           [](const json& entry) { return entry["lag"] == 0; });
  }

  json status(const std::string& connector) {
    return request("GET", "/connectors/" + connector + "/status").body;
  }

  bool state_is(const std::string& connector, const std::string& state) {
    return status(connector)["connector"]["state"] == state;
  }

  size_t logged_lines() { return read_lines(scratch_ / "log.jsonl").size(); }

  /// Stops the host with SIGTERM; it must exit 0.
  void stop_host() {
    host_->send_signal(SIGTERM);
    EXPECT_EQ(host_->wait(60s), 0) << host_->stderr_tail();
  }

  std::string topic_;
  std::unique_ptr<ChildProcess> host_;
  std::unique_ptr<httplib::Client> client_;
  /// The control API's port, for clients of other threads.
  int port_ = 0;
};

}  // namespace rdconnect::testing
