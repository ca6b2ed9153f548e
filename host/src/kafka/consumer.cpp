#include "kafka/consumer.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>
#include <utility>

#include "common/error.hpp"

namespace rdconnect::kafka {
namespace {

std::vector<TopicPartition> to_vector(
    const rd_kafka_topic_partition_list_t& list) {
  std::vector<TopicPartition> partitions;
  partitions.reserve(list.cnt);
  for (int i = 0; i < list.cnt; ++i) {
    partitions.push_back(
        {list.elems[i].topic, list.elems[i].partition, list.elems[i].offset});
  }
  return partitions;
}

PartitionListPtr to_list(std::span<const TopicPartition> partitions) {
  PartitionListPtr list =
      make_partition_list(static_cast<int>(partitions.size()));
  for (const TopicPartition& partition : partitions) {
    rd_kafka_topic_partition_list_add(list.get(), partition.topic.c_str(),
                                      partition.partition)
        ->offset = partition.offset;
  }
  return list;
}

}  // namespace

Consumer::Consumer(const Properties& properties, const std::string& client_name,
                   RebalanceHandler on_rebalance,
                   StatisticsHandler on_statistics)
    : on_rebalance_(std::move(on_rebalance)),
      client_name_(client_name),
      on_statistics_(std::move(on_statistics)) {
  ConfPtr conf = make_conf(properties, client_name);
  rd_kafka_conf_set_rebalance_cb(conf.get(), &Consumer::on_rebalance);
  if (on_statistics_) {
    rd_kafka_conf_set_stats_cb(conf.get(), &Consumer::on_statistics);
  }
  rd_kafka_conf_set_opaque(conf.get(), this);
  client_ = make_client(RD_KAFKA_CONSUMER, std::move(conf));
  // Everything (logs, errors, rebalances) is then served by poll().
  rd_kafka_poll_set_consumer(client_.get());
  queue_.reset(rd_kafka_queue_get_consumer(client_.get()));
}

Consumer::~Consumer() {
  queue_.reset();
  if (!closed_) {
    rd_kafka_destroy_flags(client_.release(),
                           RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
  }
}

// 0: librdkafka frees the JSON.
int Consumer::on_statistics(rd_kafka_t* /*client*/, char* json,
                            size_t json_size, void* opaque) {
  const auto& self = *static_cast<Consumer*>(opaque);
  hand_statistics({json, json_size}, self.client_name_, self.on_statistics_);
  return 0;
}

void Consumer::subscribe(const std::vector<std::string>& topics) {
  PartitionListPtr list = make_partition_list(static_cast<int>(topics.size()));
  for (const std::string& topic : topics) {
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(),
                                      RD_KAFKA_PARTITION_UA);
  }
  const rd_kafka_resp_err_t err = rd_kafka_subscribe(client_.get(), list.get());
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw Error::fatal(std::string("cannot subscribe: ") +
                       rd_kafka_err2str(err));
  }
}

MessagePtr Consumer::poll(int timeout_ms) {
  MessagePtr message(rd_kafka_consumer_poll(client_.get(), timeout_ms));
  rethrow_handler_failure();
  return message;
}

// A rebalance served inside the batch call ran the handler before the call
// returned the messages it had collected up to then: those of partitions
// it took away are dropped here, as the handler could not see them. A
// partition assigned again later in the same call keeps its messages:
// librdkafka stops a partition's fetcher before the group can rejoin, and
// the barrier that stop queues (at the head of the queue) purges the old
// assignment's messages from the batch, so what is left of it is new.
size_t Consumer::poll_ready(size_t max, std::vector<MessagePtr>& out) {
  ready_.resize(max);
  taken_during_batch_.clear();
  in_batch_ = true;
  const ssize_t count =
      rd_kafka_consume_batch_queue(queue_.get(), 0, ready_.data(), max);
  in_batch_ = false;
  const size_t before = out.size();
  for (ssize_t i = 0; i < count; ++i) {
    MessagePtr message(ready_[i]);
    if (!taken_during_batch_.empty() && taken_during_batch(*message)) continue;
    out.push_back(std::move(message));
  }
  rethrow_handler_failure();
  return out.size() - before;
}

void Consumer::wake() { rd_kafka_queue_yield(queue_.get()); }

void Consumer::note_taken_during_batch(
    bool assigned, const std::vector<TopicPartition>& partitions) {
  for (const TopicPartition& partition : partitions) {
    std::erase_if(taken_during_batch_, [&](const TopicPartition& taken) {
      return taken.is(partition.topic, partition.partition);
    });
    if (!assigned) taken_during_batch_.push_back(partition);
  }
}

bool Consumer::taken_during_batch(const rd_kafka_message_t& message) const {
  if (message.rkt == nullptr) return false;  // a consumer error
  const char* topic = rd_kafka_topic_name(message.rkt);
  return std::any_of(taken_during_batch_.begin(), taken_during_batch_.end(),
                     [&](const TopicPartition& taken) {
                       return taken.is(topic, message.partition);
                     });
}

ErrorCode Consumer::commit(std::span<const TopicPartition> offsets) {
  if (offsets.empty()) return ErrorCode();
  PartitionListPtr list = to_list(offsets);
  return ErrorCode(
      rd_kafka_commit(client_.get(), list.get(), 0 /* synchronous */));
}

void Consumer::set_paused(bool paused) {
  paused_ = paused;
  rd_kafka_topic_partition_list_t* assignment = nullptr;
  if (rd_kafka_assignment(client_.get(), &assignment) !=
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    return;
  }
  PartitionListPtr owned(assignment);
  if (paused) {
    rd_kafka_pause_partitions(client_.get(), assignment);
  } else {
    rd_kafka_resume_partitions(client_.get(), assignment);
  }
}

std::optional<std::string> Consumer::fatal_error() const {
  return client_fatal_error(client_.get());
}

void Consumer::close() {
  if (closed_) return;
  closed_ = true;
  leave_if_unassigned();
  rd_kafka_consumer_close(client_.get());
  rethrow_handler_failure();
}

// librdkafka 2.8.0 does not send LeaveGroup when a cooperative member of a
// classic group closes with nothing assigned: rd_kafka_cgrp_assignment_done
// (rdkafka_cgrp.c) only tries to terminate in that state, where the KIP-848
// path leaves first. The member then stays in the group until its session
// times out (45 s), and the other members cannot rebalance until then; one
// closing meanwhile waits 5 s for its own LeaveGroup, queued behind a
// JoinGroup that waits for the missing member. Unsubscribing first takes
// the path that does leave: with no subscription left, the rejoin that an
// empty assignment triggers sends LeaveGroup instead.
void Consumer::leave_if_unassigned() {
  const char* protocol = rd_kafka_rebalance_protocol(client_.get());
  if (protocol == nullptr || std::string_view(protocol) != "COOPERATIVE") {
    return;
  }
  rd_kafka_topic_partition_list_t* raw = nullptr;
  if (rd_kafka_assignment(client_.get(), &raw) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return;
  }
  const PartitionListPtr assignment(raw);
  if (assignment->cnt == 0) rd_kafka_unsubscribe(client_.get());
}

void Consumer::on_rebalance(rd_kafka_t* /*client*/, rd_kafka_resp_err_t err,
                            rd_kafka_topic_partition_list_t* partitions,
                            void* opaque) {
  static_cast<Consumer*>(opaque)->rebalance(err, *partitions);
}

void Consumer::rebalance(rd_kafka_resp_err_t err,
                         rd_kafka_topic_partition_list_t& partitions) {
  const bool assigned = err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS;
  const bool cooperative =
      std::strcmp(rd_kafka_rebalance_protocol(client_.get()), "COOPERATIVE") ==
      0;
  std::vector<TopicPartition> list = to_vector(partitions);
  if (in_batch_) note_taken_during_batch(assigned, list);
  try {
    const Rebalance kind = assigned ? Rebalance::assigned
                           : rd_kafka_assignment_lost(client_.get())
                               ? Rebalance::lost
                               : Rebalance::revoked;
    on_rebalance_(kind, list);
    if (assigned) {
      for (int i = 0; i < partitions.cnt; ++i) {
        partitions.elems[i].offset = list[i].offset;
      }
    }
  } catch (...) {
    if (!handler_failure_) handler_failure_ = std::current_exception();
  }
  // librdkafka requires the (un)assign call whatever happened above.
  if (assigned) {
    if (cooperative) {
      ErrorPtr error(rd_kafka_incremental_assign(client_.get(), &partitions));
    } else {
      rd_kafka_assign(client_.get(), &partitions);
    }
    // Queued behind the assignment, before any fetch of it.
    if (paused_) rd_kafka_pause_partitions(client_.get(), &partitions);
  } else if (cooperative) {
    ErrorPtr error(rd_kafka_incremental_unassign(client_.get(), &partitions));
  } else {
    rd_kafka_assign(client_.get(), nullptr);
  }
}

void Consumer::rethrow_handler_failure() {
  if (handler_failure_) {
    std::rethrow_exception(std::exchange(handler_failure_, nullptr));
  }
}

}  // namespace rdconnect::kafka
