// The Kafka clients a connector's tasks hold now, each with the last
// statistics it emitted: what the metrics show per broker and what
// readiness calls "connected".
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "common/guarded.hpp"
#include "kafka/client_statistics.hpp"

namespace rdconnect::runtime {

class KafkaClients {
 public:
  struct Entry {
    std::string client;
    /// nullopt until the client's first statistics.
    std::optional<kafka::ClientStatistics> statistics;
  };

  /// The handler to give a client named `client` made of `properties`,
  /// which it then reports to until remove(client); empty (and nothing
  /// recorded) when the operator turned statistics off.
  kafka::StatisticsHandler track(const std::string& client,
                                 const kafka::Properties& properties) {
    if (!kafka::emits_statistics(properties)) return {};
    entries_.update([&](std::vector<Entry>& entries) {
      std::erase_if(entries,
                    [&](const Entry& e) { return e.client == client; });
      entries.push_back({client, std::nullopt});
    });
    return [this](kafka::ClientStatistics statistics) {
      publish(std::move(statistics));
    };
  }

  /// The client is gone; what it said last no longer holds. Any thread.
  void remove(const std::string& client) {
    entries_.update([&](std::vector<Entry>& entries) {
      std::erase_if(entries,
                    [&](const Entry& e) { return e.client == client; });
    });
  }

  std::vector<Entry> get() const { return entries_.get(); }

 private:
  // On the client's polling thread.
  void publish(kafka::ClientStatistics statistics) {
    entries_.update([&](std::vector<Entry>& entries) {
      for (Entry& entry : entries) {
        if (entry.client == statistics.client) {
          entry.statistics = std::move(statistics);
          return;
        }
      }
    });
  }

  Guarded<std::vector<Entry>> entries_;
};

}  // namespace rdconnect::runtime
