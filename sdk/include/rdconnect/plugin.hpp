// rdconnect C++ plugin layer — header-only, over the C ABI in plugin.h.
//
// A plugin author writes an ordinary class and exports it with one macro:
//
//   #include <rdconnect/plugin.hpp>
//
//   class MySink : public rdconnect::Sink {
//    public:
//     MySink(const rdconnect::Config& config, rdconnect::Host host);
//     void put(const rdconnect::Records& records) override;
//     void flush() override;
//   };
//
//   constexpr rdc_config_entry kMySinkConfig[] = {
//       rdconnect::ConfigKey::string("path").with_default("-").doc(
//           "Where to write; - for stdout"),
//       rdconnect::ConfigKey::string("password").required().secret().doc(
//           "Password of the destination"),
//       rdconnect::ConfigKey::integer("batch").with_default("100").min("1")
//           .doc("Records per write"),
//   };
//
//   RDCONNECT_SINK_PLUGIN(MySink, "my_sink", "1.0.0", "Writes records",
//                         kMySinkConfig)
//
// Exceptions never cross the ABI: rdconnect::RetriableError becomes
// RDC_RETRY, any other exception RDC_FATAL, with what() as the message.
//
// A class that can tell whether its target (or origin) accepts a
// connection, for `rdconnect validate --connect`, also declares
//
//   static std::string check_connection(const rdconnect::Config& config,
//                                       std::chrono::milliseconds timeout);
//
// returning what it reached ("PostgreSQL 15.4; table exists") and throwing
// why not; the macros find it and fill in the descriptor's
// check_connection.
#ifndef RDCONNECT_PLUGIN_HPP
#define RDCONNECT_PLUGIN_HPP

#include <rdconnect/plugin.h>

#include <array>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rdconnect {

/// Builds one rdc_config_entry of a plugin's config map, at compile time:
///   ConfigKey::integer("count").with_default("10").doc("How many")
class ConfigKey {
 public:
  static constexpr ConfigKey string(const char* key) {
    return ConfigKey(key, RDC_CONFIG_STRING);
  }
  static constexpr ConfigKey integer(const char* key) {
    return ConfigKey(key, RDC_CONFIG_INT);
  }
  static constexpr ConfigKey number(const char* key) {
    return ConfigKey(key, RDC_CONFIG_DOUBLE);
  }
  static constexpr ConfigKey boolean(const char* key) {
    return ConfigKey(key, RDC_CONFIG_BOOL);
  }

  /// Default in textual form ("10", "true", "json").
  constexpr ConfigKey with_default(const char* value) const {
    ConfigKey copy = *this;
    copy.entry_.default_value = value;
    return copy;
  }
  constexpr ConfigKey required() const {
    ConfigKey copy = *this;
    copy.entry_.required = 1;
    return copy;
  }
  /// The host never prints the value (passwords, DSNs, tokens).
  constexpr ConfigKey secret() const {
    ConfigKey copy = *this;
    copy.entry_.secret = 1;
    return copy;
  }
  /// Allowed values of a string key, separated by '|': "json|text".
  constexpr ConfigKey choices(const char* allowed) const {
    ConfigKey copy = *this;
    copy.entry_.choices = allowed;
    return copy;
  }
  /// Smallest allowed value of an integer or number key, in textual form
  /// ("1", "0.5"); inclusive.
  constexpr ConfigKey min(const char* value) const {
    ConfigKey copy = *this;
    copy.entry_.min_value = value;
    return copy;
  }
  /// Largest allowed value of an integer or number key; inclusive.
  constexpr ConfigKey max(const char* value) const {
    ConfigKey copy = *this;
    copy.entry_.max_value = value;
    return copy;
  }
  /// A string key that must not be empty.
  constexpr ConfigKey non_empty() const {
    ConfigKey copy = *this;
    copy.entry_.non_empty = 1;
    return copy;
  }
  constexpr ConfigKey example(const char* value) const {
    ConfigKey copy = *this;
    copy.entry_.example = value;
    return copy;
  }
  constexpr ConfigKey doc(const char* text) const {
    ConfigKey copy = *this;
    copy.entry_.doc = text;
    return copy;
  }

  constexpr operator rdc_config_entry() const { return entry_; }

 private:
  constexpr ConfigKey(const char* key, rdc_config_type type)
      : entry_{key, type,    nullptr, 0, 0,      nullptr,
               "",  nullptr, nullptr, 0, nullptr} {}

  rdc_config_entry entry_;
};

/// Throw from any plugin method to report a transient failure: the host
/// backs off and repeats the call. Any other exception is fatal.
class RetriableError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A byte string view; null() distinguishes a Kafka null from empty.
class Bytes {
 public:
  explicit Bytes(rdc_bytes bytes) : bytes_(bytes) {}
  bool null() const { return bytes_.data == nullptr; }
  std::string_view view() const {
    return null() ? std::string_view{}
                  : std::string_view(static_cast<const char*>(bytes_.data),
                                     bytes_.len);
  }
  size_t size() const { return bytes_.len; }

 private:
  rdc_bytes bytes_;
};

/// A consumed record; a view valid only during the call it was passed to.
class Record {
 public:
  explicit Record(const rdc_record& record) : record_(&record) {}
  std::string_view topic() const { return record_->topic; }
  int32_t partition() const { return record_->partition; }
  int64_t offset() const { return record_->offset; }
  /// Milliseconds since the epoch, or -1 when the record has no timestamp.
  int64_t timestamp_ms() const { return record_->timestamp_ms; }
  Bytes key() const { return Bytes(record_->key); }
  Bytes value() const { return Bytes(record_->value); }
  bool tombstone() const { return record_->value.data == nullptr; }
  std::span<const rdc_header> headers() const {
    return {record_->headers, record_->header_count};
  }
  /// The underlying C struct, for Host::record_error.
  const rdc_record& raw() const { return *record_; }

 private:
  const rdc_record* record_;
};

/// The batch given to Sink::put; iterates as Record.
class Records {
 public:
  explicit Records(std::span<const rdc_record> records) : records_(records) {}

  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Record;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Record;
    iterator() = default;
    explicit iterator(const rdc_record* at) : at_(at) {}
    Record operator*() const { return Record(*at_); }
    iterator& operator++() {
      ++at_;
      return *this;
    }
    iterator operator++(int) {
      iterator before = *this;
      ++at_;
      return before;
    }
    bool operator==(const iterator&) const = default;

   private:
    const rdc_record* at_ = nullptr;
  };

  iterator begin() const { return iterator(records_.data()); }
  iterator end() const { return iterator(records_.data() + records_.size()); }
  size_t size() const { return records_.size(); }
  bool empty() const { return records_.empty(); }
  Record operator[](size_t i) const { return Record(records_[i]); }

 private:
  std::span<const rdc_record> records_;
};

using TopicPartition = rdc_topic_partition;
using Delivery = rdc_delivery;

/// The host's services for one plugin instance. Cheap to copy.
class Host {
 public:
  explicit Host(const rdc_host* host) : host_(host) {}
  std::string_view connector_name() const { return host_->connector_name; }

  void log(rdc_log_level level, const std::string& message) const {
    host_->log(host_->opaque, level, message.c_str());
  }
  void debug(const std::string& message) const { log(RDC_LOG_DEBUG, message); }
  void info(const std::string& message) const { log(RDC_LOG_INFO, message); }
  void warn(const std::string& message) const { log(RDC_LOG_WARN, message); }
  void error(const std::string& message) const { log(RDC_LOG_ERROR, message); }

  /// Report that one record cannot be written, during put() or flush();
  /// see rdc_host.record_failed. Returns once the host took charge of the
  /// record; throws std::runtime_error when it could not (the record must
  /// then not be made durable, and the call fails). On a host of ABI 1.0
  /// this is record_error, valid during put() only.
  void record_failed(const Record& record, const std::string& message) const {
    if (!RDC_HOST_HAS(host_, record_failed)) {
      host_->record_error(host_->opaque, &record.raw(), message.c_str());
      return;
    }
    std::array<char, RDC_ERRSTR_SIZE> errstr{};
    const rdc_status status =
        host_->record_failed(host_->opaque, &record.raw(), message.c_str(),
                             errstr.data(), errstr.size());
    if (status == RDC_OK) return;
    errstr.back() = '\0';
    throw std::runtime_error(errstr[0] ? errstr.data()
                                       : "the host refused a failed record");
  }

 private:
  const rdc_host* host_;
};

/// A validated config (see rdc_config_value): every key of the plugin's
/// config map that is set or has a default, typed by the host already.
class Config {
 public:
  Config(const rdc_config_value* values, size_t count)
      : values_(values, count) {}

  bool has(std::string_view key) const { return find(key) != nullptr; }

  std::string string(std::string_view key) const { return require(key); }

  int64_t integer(std::string_view key) const {
    return std::stoll(require(key));
  }

  double number(std::string_view key) const { return std::stod(require(key)); }

  bool boolean(std::string_view key) const { return require(key) == "true"; }

 private:
  const char* find(std::string_view key) const {
    for (const rdc_config_value& value : values_) {
      if (key == value.key) return value.value;
    }
    return nullptr;
  }

  // A missing key is the plugin's bug (not in its map, no default): fatal.
  std::string require(std::string_view key) const {
    const char* value = find(key);
    if (value == nullptr) {
      throw std::logic_error("config key '" + std::string(key) +
                             "' is not set and has no default");
    }
    return value;
  }

  std::span<const rdc_config_value> values_;
};

/// Base class of a sink plugin; see rdc_sink_api for the contract.
class Sink {
 public:
  virtual ~Sink() = default;
  /// Set partitions[i].offset to resume from an offset of your own.
  virtual void open(std::span<TopicPartition> partitions) { (void)partitions; }
  virtual void put(const Records& records) = 0;
  virtual void flush() = 0;
  virtual void close(std::span<const TopicPartition> partitions) {
    (void)partitions;
  }
};

/// The records a source returns from one poll. Owns their bytes.
class SourceBatch {
 public:
  /// Add a record for the connector's topic and partitioner. The bytes are
  /// copied into the batch, whose buffers are kept from poll to poll: a
  /// source that reuses its own buffers allocates nothing per record.
  void add(std::string_view key, std::string_view value, uint64_t ack_id) {
    entries_.push_back(
        {append(key), key.size(), append(value), value.size(), true, ack_id});
  }
  /// Add a tombstone (null value) for key.
  void add_tombstone(std::string_view key, uint64_t ack_id) {
    entries_.push_back({append(key), key.size(), 0, 0, false, ack_id});
  }
  /// Declare that the source will never produce more records.
  void finish() { finished_ = true; }

  size_t size() const { return entries_.size(); }
  bool finished() const { return finished_; }

  void clear() {
    entries_.clear();
    records_.clear();
    bytes_.clear();
    finished_ = false;
  }

  /// Build the C view. Done once, after poll() filled the batch, because
  /// growing bytes_ moves it and would invalidate pointers.
  rdc_poll_result to_c() {
    records_.clear();
    records_.reserve(entries_.size());
    for (const Entry& entry : entries_) {
      rdc_source_record record{};
      record.partition = RDC_PARTITION_ANY;
      record.key = {bytes_.data() + entry.key_at, entry.key_size};
      if (entry.has_value)
        record.value = {bytes_.data() + entry.value_at, entry.value_size};
      record.ack_id = entry.ack_id;
      records_.push_back(record);
    }
    return {records_.data(), records_.size(), finished_ ? 1 : 0};
  }

 private:
  // Where each record's bytes are in bytes_, by offset: bytes_ may move.
  struct Entry {
    size_t key_at;
    size_t key_size;
    size_t value_at;
    size_t value_size;
    bool has_value;
    uint64_t ack_id;
  };
  size_t append(std::string_view bytes) {
    const size_t at = bytes_.size();
    bytes_.append(bytes);
    return at;
  }
  std::string bytes_;
  std::vector<Entry> entries_;
  std::vector<rdc_source_record> records_;
  bool finished_ = false;
};

/// Base class of a source plugin; see rdc_source_api for the contract.
class Source {
 public:
  virtual ~Source() = default;
  /// Add up to max_records records to batch; may wait up to timeout.
  virtual void poll(SourceBatch& batch, size_t max_records,
                    std::chrono::milliseconds timeout) = 0;
  virtual void ack(std::span<const Delivery> deliveries) { (void)deliveries; }
};

namespace detail {

inline void write_error(char* errstr, size_t size, const char* message) {
  if (errstr == nullptr || size == 0) return;
  std::strncpy(errstr, message, size - 1);
  errstr[size - 1] = '\0';
}

// The one place where exceptions are turned into statuses.
template <typename Call>
rdc_status guarded(char* errstr, size_t size, Call&& call) noexcept {
  try {
    call();
    return RDC_OK;
  } catch (const RetriableError& e) {
    write_error(errstr, size, e.what());
    return RDC_RETRY;
  } catch (const std::exception& e) {
    write_error(errstr, size, e.what());
    return RDC_FATAL;
  } catch (...) {
    write_error(errstr, size, "unknown exception");
    return RDC_FATAL;
  }
}

template <typename Plugin>
rdc_status create(const rdc_host* host, const rdc_config_value* config,
                  size_t config_count, void** instance, char* errstr,
                  size_t errstr_size) {
  return guarded(errstr, errstr_size, [&] {
    *instance = new Plugin(Config(config, config_count), Host(host));
  });
}

template <typename Plugin>
void destroy(void* instance) noexcept {
  delete static_cast<Plugin*>(instance);
}

template <typename Plugin>
const rdc_sink_api* sink_api() {
  static const rdc_sink_api api = {
      .create = &create<Plugin>,
      .open =
          [](void* instance, rdc_topic_partition* partitions, size_t count,
             char* errstr, size_t errstr_size) {
            return guarded(errstr, errstr_size, [&] {
              static_cast<Plugin*>(instance)->open({partitions, count});
            });
          },
      .put =
          [](void* instance, const rdc_record* records, size_t count,
             char* errstr, size_t errstr_size) {
            return guarded(errstr, errstr_size, [&] {
              static_cast<Plugin*>(instance)->put(Records({records, count}));
            });
          },
      .flush =
          [](void* instance, char* errstr, size_t errstr_size) {
            return guarded(errstr, errstr_size,
                           [&] { static_cast<Plugin*>(instance)->flush(); });
          },
      .close =
          [](void* instance, const rdc_topic_partition* partitions,
             size_t count, char* errstr, size_t errstr_size) {
            return guarded(errstr, errstr_size, [&] {
              static_cast<Plugin*>(instance)->close({partitions, count});
            });
          },
      .destroy = &destroy<Plugin>,
  };
  return &api;
}

// A source instance keeps the batch of its last poll alive until the next.
template <typename Plugin>
struct SourceInstance {
  SourceInstance(const Config& config, Host host) : plugin(config, host) {}
  Plugin plugin;
  SourceBatch batch;
};

template <typename Plugin>
const rdc_source_api* source_api() {
  using Instance = SourceInstance<Plugin>;
  static const rdc_source_api api = {
      .create = &create<Instance>,
      .poll =
          [](void* instance, size_t max_records, int timeout_ms,
             rdc_poll_result* result, char* errstr, size_t errstr_size) {
            auto* self = static_cast<Instance*>(instance);
            self->batch.clear();
            return guarded(errstr, errstr_size, [&] {
              self->plugin.poll(self->batch, max_records,
                                std::chrono::milliseconds(timeout_ms));
              *result = self->batch.to_c();
            });
          },
      .ack =
          [](void* instance, const rdc_delivery* deliveries, size_t count,
             char* errstr, size_t errstr_size) {
            return guarded(errstr, errstr_size, [&] {
              static_cast<Instance*>(instance)->plugin.ack({deliveries, count});
            });
          },
      .destroy = &destroy<Instance>,
  };
  return &api;
}

template <typename Plugin>
concept HasConnectionCheck = requires(const Config& config,
                                      std::chrono::milliseconds timeout) {
  {
    Plugin::check_connection(config, timeout)
    } -> std::convertible_to<std::string>;
};

template <typename Plugin>
constexpr auto connection_check()
    -> decltype(rdc_plugin_descriptor::check_connection) {
  if constexpr (HasConnectionCheck<Plugin>) {
    return [](const rdc_config_value* config, size_t count, int timeout_ms,
              char* message, size_t size) {
      std::string reached;
      const rdc_status status = guarded(message, size, [&] {
        reached = Plugin::check_connection(
            Config(config, count), std::chrono::milliseconds(timeout_ms));
      });
      if (status == RDC_OK) write_error(message, size, reached.c_str());
      return status;
    };
  } else {
    return nullptr;
  }
}

template <size_t N>
constexpr rdc_plugin_descriptor make_descriptor(
    const char* name, rdc_plugin_kind kind, const char* version,
    const char* description, const rdc_config_entry (&config_map)[N]) {
  rdc_plugin_descriptor descriptor{};
  descriptor.struct_size = sizeof(rdc_plugin_descriptor);
  descriptor.abi_major = RDC_ABI_VERSION_MAJOR;
  descriptor.abi_minor = RDC_ABI_VERSION_MINOR;
  descriptor.name = name;
  descriptor.kind = kind;
  descriptor.version = version;
  descriptor.description = description;
  descriptor.config_map = config_map;
  descriptor.config_map_count = N;
  descriptor.config_entry_size = sizeof(rdc_config_entry);
  return descriptor;
}

}  // namespace detail
}  // namespace rdconnect

#define RDCONNECT_DETAIL_ENTRY(CLASS, KIND, API_FIELD, API, NAME, VERSION, \
                               DESC, MAP)                                  \
  extern "C" __attribute__((visibility("default")))                        \
  const rdc_plugin_descriptor*                                             \
  rdc_plugin_entry(void) {                                                 \
    static const rdc_plugin_descriptor descriptor = [] {                   \
      rdc_plugin_descriptor d = ::rdconnect::detail::make_descriptor(      \
          NAME, KIND, VERSION, DESC, MAP);                                 \
      d.API_FIELD = API;                                                   \
      d.api_size = sizeof(*d.API_FIELD);                                   \
      d.check_connection = ::rdconnect::detail::connection_check<CLASS>(); \
      return d;                                                            \
    }();                                                                   \
    return &descriptor;                                                    \
  }

/// Export CLASS (derived from rdconnect::Sink, constructible from
/// (const rdconnect::Config&, rdconnect::Host)) as the library's sink plugin.
/// MAP is an array of rdc_config_entry.
#define RDCONNECT_SINK_PLUGIN(CLASS, NAME, VERSION, DESCRIPTION, MAP)  \
  RDCONNECT_DETAIL_ENTRY(CLASS, RDC_KIND_SINK, sink,                   \
                         ::rdconnect::detail::sink_api<CLASS>(), NAME, \
                         VERSION, DESCRIPTION, MAP)

/// Export CLASS (derived from rdconnect::Source, constructible from
/// (const rdconnect::Config&, rdconnect::Host)) as the library's source
/// plugin. MAP is an array of rdc_config_entry.
#define RDCONNECT_SOURCE_PLUGIN(CLASS, NAME, VERSION, DESCRIPTION, MAP)  \
  RDCONNECT_DETAIL_ENTRY(CLASS, RDC_KIND_SOURCE, source,                 \
                         ::rdconnect::detail::source_api<CLASS>(), NAME, \
                         VERSION, DESCRIPTION, MAP)

#endif  // RDCONNECT_PLUGIN_HPP
