#include "plugin/descriptor_check.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include "plugin/config_map.hpp"
#include "plugin/config_range.hpp"
#include "plugin/function_table.hpp"
#include "plugin/loaded_plugin.hpp"

namespace rdconnect::plugin {
namespace {

// The fields that start a descriptor of every ABI version. They are read
// before anything else because only they are known to exist whatever the
// plugin was built against.
struct DescriptorHead {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;
};
static_assert(offsetof(rdc_plugin_descriptor, struct_size) ==
              offsetof(DescriptorHead, struct_size));
static_assert(offsetof(rdc_plugin_descriptor, abi_major) ==
              offsetof(DescriptorHead, abi_major));
static_assert(offsetof(rdc_plugin_descriptor, abi_minor) ==
              offsetof(DescriptorHead, abi_minor));

// sizeof(rdc_plugin_descriptor) and sizeof(rdc_config_entry) for each minor
// of this major, indexed by minor. A new minor appends fields: append its
// sizes here, and make the accessors of LoadedPlugin stay within struct_size
// for older plugins.
constexpr std::array<size_t, RDC_ABI_VERSION_MINOR + 1> kDescriptorSizeByMinor =
    {kDescriptorSizeV1_0, kDescriptorSizeV1_1, kDescriptorSizeV1_2,
     sizeof(rdc_plugin_descriptor)};
static_assert(kDescriptorSizeByMinor.back() == sizeof(rdc_plugin_descriptor));
constexpr std::array<size_t, RDC_ABI_VERSION_MINOR + 1>
    kConfigEntrySizeByMinor = {kConfigEntrySizeV1_0, kConfigEntrySizeV1_1,
                               kConfigEntrySizeV1_1, sizeof(rdc_config_entry)};
static_assert(kConfigEntrySizeByMinor.back() == sizeof(rdc_config_entry));

// A plugin may have stored any integer in an enum field, and loading an
// out-of-range value through the enum type is undefined, so copy the bytes.
template <typename Enum>
std::underlying_type_t<Enum> raw_value(const Enum& field) {
  std::underlying_type_t<Enum> value;
  std::memcpy(&value, &field, sizeof value);
  return value;
}

bool is_valid_config_type(std::underlying_type_t<rdc_config_type> type) {
  switch (type) {
    case RDC_CONFIG_STRING:
    case RDC_CONFIG_INT:
    case RDC_CONFIG_DOUBLE:
    case RDC_CONFIG_BOOL:
      return true;
    default:
      return false;
  }
}

std::string_view textual_form_example(rdc_config_type type) {
  switch (type) {
    case RDC_CONFIG_INT:
      return "a decimal integer such as \"10\"";
    case RDC_CONFIG_DOUBLE:
      return "a decimal number such as \"0.5\"";
    default:
      return "\"true\" or \"false\"";
  }
}

// The alternatives of a choices string ("json|text").
std::vector<std::string_view> split_choices(std::string_view choices) {
  std::vector<std::string_view> alternatives;
  size_t start = 0;
  while (true) {
    size_t bar = choices.find('|', start);
    alternatives.push_back(choices.substr(start, bar - start));
    if (bar == std::string_view::npos) return alternatives;
    start = bar + 1;
  }
}

class DescriptorChecker {
 public:
  DescriptorChecker(const rdc_plugin_descriptor* descriptor,
                    const std::filesystem::path& file)
      : descriptor_(descriptor), file_(file) {}

  void check() const {
    if (descriptor_ == nullptr) {
      refuse(
          "rdc_plugin_entry() returned NULL; it must return a pointer to a "
          "static rdc_plugin_descriptor");
    }
    check_version_and_size();
    check_identity();
    check_kind_and_functions();
    check_config_map();
    check_file_name();
  }

 private:
  [[noreturn]] void refuse(const std::string& reason) const {
    throw PluginLoadError(
        fmt::format("plugin library '{}' refused: {}", file_.string(), reason));
  }

  void check_version_and_size() const {
    DescriptorHead head;
    std::memcpy(&head, descriptor_, sizeof head);
    if (head.abi_major != RDC_ABI_VERSION_MAJOR) {
      refuse(fmt::format(
          "built against ABI {}.x; this host speaks {}.x; rebuild the plugin "
          "against this host's SDK",
          head.abi_major, RDC_ABI_VERSION_MAJOR));
    }
    check_size("descriptor size", head.struct_size, head.abi_minor,
               by_minor(kDescriptorSizeByMinor, head.abi_minor),
               "set struct_size to sizeof(rdc_plugin_descriptor)");
    // The config map is walked with this stride, so a wrong one would read
    // every entry but the first from the wrong bytes.
    check_size("config_entry_size", config_entry_stride(*descriptor_),
               head.abi_minor,
               by_minor(kConfigEntrySizeByMinor, head.abi_minor),
               "set it to sizeof(rdc_config_entry)");
  }

  // The size this host knows for `minor`; for a newer minor, the newest it
  // knows, which that minor's may exceed.
  template <size_t N>
  static size_t by_minor(const std::array<size_t, N>& sizes, uint16_t minor) {
    return minor < N ? sizes[minor] : sizes.back();
  }

  // A minor only appends fields, so a size of an older or equal minor must
  // be the one known for it, and a newer minor's may be any larger: this
  // host reads just the fields it knows.
  void check_size(std::string_view what, size_t size, uint16_t minor,
                  size_t known, std::string_view fix) const {
    const bool newer_minor = minor > RDC_ABI_VERSION_MINOR;
    if (newer_minor ? size >= known : size == known) return;
    refuse(
        fmt::format("{} {} is unknown for ABI {}.{} (expected {}{}); {} and "
                    "rebuild",
                    what, size, RDC_ABI_VERSION_MAJOR, minor,
                    newer_minor ? "at least " : "", known, fix));
  }

  void check_identity() const {
    if (descriptor_->name == nullptr || *descriptor_->name == '\0') {
      refuse(fmt::format(
          "the descriptor's name is {}; set it to the plugin's name, which is "
          "also the file name without .so",
          descriptor_->name == nullptr ? "NULL" : "empty"));
    }
    if (descriptor_->version == nullptr) {
      refuse(
          "the descriptor's version is NULL; set it to the plugin's version, "
          "such as \"1.0.0\"");
    }
    if (descriptor_->description == nullptr) {
      refuse(
          "the descriptor's description is NULL; set it to a one-line "
          "description of the plugin");
    }
  }

  void check_kind_and_functions() const {
    switch (raw_value(descriptor_->kind)) {
      case RDC_KIND_SINK:
        check_sink_functions();
        return;
      case RDC_KIND_SOURCE:
        check_source_functions();
        return;
      default:
        refuse(fmt::format(
            "the descriptor's kind is {}; set it to RDC_KIND_SOURCE ({}) or "
            "RDC_KIND_SINK ({})",
            raw_value(descriptor_->kind), static_cast<int>(RDC_KIND_SOURCE),
            static_cast<int>(RDC_KIND_SINK)));
    }
  }

  void check_sink_functions() const {
    if (descriptor_->sink == nullptr) {
      refuse(
          "it is a sink plugin but the descriptor's sink table is NULL; point "
          "it at an rdc_sink_api");
    }
    check_api_size("rdc_sink_api", kSinkApiSizeV1_0);
    const rdc_sink_api sink = read_sink_api(*descriptor_);
    require_function("rdc_sink_api", "create", sink.create != nullptr);
    require_function("rdc_sink_api", "put", sink.put != nullptr);
    require_function("rdc_sink_api", "flush", sink.flush != nullptr);
    require_function("rdc_sink_api", "destroy", sink.destroy != nullptr);
    if (!has_optional_functions()) {
      require_function("rdc_sink_api", "open", sink.open != nullptr);
      require_function("rdc_sink_api", "close", sink.close != nullptr);
    }
  }

  void check_source_functions() const {
    if (descriptor_->source == nullptr) {
      refuse(
          "it is a source plugin but the descriptor's source table is NULL; "
          "point it at an rdc_source_api");
    }
    check_api_size("rdc_source_api", kSourceApiSizeV1_0);
    const rdc_source_api source = read_source_api(*descriptor_);
    require_function("rdc_source_api", "create", source.create != nullptr);
    require_function("rdc_source_api", "poll", source.poll != nullptr);
    require_function("rdc_source_api", "destroy", source.destroy != nullptr);
    if (!has_optional_functions()) {
      require_function("rdc_source_api", "ack", source.ack != nullptr);
    }
  }

  // Before 1.3 a NULL meant no default, so open, close and ack were
  // required as well.
  bool has_optional_functions() const { return descriptor_->abi_minor >= 3; }

  // Every table so far has one size in every minor; a minor that appends
  // functions gives it sizes by minor, as kDescriptorSizeByMinor does.
  void check_api_size(std::string_view table, size_t known) const {
    check_size("api_size", function_table_size(*descriptor_),
               descriptor_->abi_minor, known,
               fmt::format("set it to sizeof({})", table));
  }

  void require_function(std::string_view table, std::string_view function,
                        bool present) const {
    if (!present) {
      refuse(fmt::format(
          "its {} has no {} function (NULL); it is required{}", table, function,
          !has_optional_functions()
              ? ", and before ABI 1.3 so are open, close and ack: set them, "
                "even if they only return RDC_OK, or build against ABI 1.3"
              : ""));
    }
  }

  void check_config_map() const {
    if (descriptor_->config_map_count > 0 &&
        descriptor_->config_map == nullptr) {
      refuse(fmt::format(
          "config_map_count is {} but config_map is NULL; point config_map at "
          "the entries or set the count to 0",
          descriptor_->config_map_count));
    }
    std::set<std::string_view> keys;
    const std::vector<rdc_config_entry> entries = read_config_map(*descriptor_);
    for (size_t i = 0; i < entries.size(); ++i) {
      const rdc_config_entry& entry = entries[i];
      if (entry.key == nullptr || *entry.key == '\0') {
        refuse(fmt::format("config entry {} has {} key; give every entry a key",
                           i, entry.key == nullptr ? "a NULL" : "an empty"));
      }
      if (!keys.insert(entry.key).second) {
        refuse(fmt::format(
            "config key '{}' is declared twice; each key may appear once",
            entry.key));
      }
      check_config_entry(entry);
    }
  }

  void check_config_entry(const rdc_config_entry& entry) const {
    if (!is_valid_config_type(raw_value(entry.type))) {
      refuse(fmt::format(
          "config key '{}' has unknown type {}; use RDC_CONFIG_STRING, "
          "RDC_CONFIG_INT, RDC_CONFIG_DOUBLE or RDC_CONFIG_BOOL",
          entry.key, raw_value(entry.type)));
    }
    if (entry.doc == nullptr) {
      refuse(fmt::format(
          "config key '{}' has no doc (NULL); give every key a one-line "
          "description",
          entry.key));
    }
    if (entry.choices != nullptr) check_choices(entry);
    check_range(entry);
    if (entry.default_value != nullptr) {
      check_value(entry, "default", entry.default_value);
    }
    if (entry.example != nullptr) check_value(entry, "example", entry.example);
  }

  void check_range(const rdc_config_entry& entry) const {
    const bool number =
        entry.type == RDC_CONFIG_INT || entry.type == RDC_CONFIG_DOUBLE;
    if (!number && (entry.min_value != nullptr || entry.max_value != nullptr)) {
      refuse(fmt::format(
          "config key '{}' is of type {} but has a min or max; bounds apply "
          "to int and double keys only",
          entry.key, config_type_name(entry.type)));
    }
    if (entry.type != RDC_CONFIG_STRING && entry.non_empty != 0) {
      refuse(fmt::format(
          "config key '{}' is of type {} but is marked non_empty; that "
          "applies to string keys only",
          entry.key, config_type_name(entry.type)));
    }
    check_bound(entry, "min", entry.min_value);
    check_bound(entry, "max", entry.max_value);
    if (entry.min_value != nullptr && entry.max_value != nullptr &&
        !is_within_range(entry, entry.min_value)) {
      refuse(fmt::format(
          "config key '{}' has min {} above its max {}; no value would be "
          "allowed",
          entry.key, entry.min_value, entry.max_value));
    }
  }

  void check_bound(const rdc_config_entry& entry, std::string_view which,
                   const char* bound) const {
    if (bound == nullptr || is_textual_form_of(entry.type, bound)) return;
    refuse(fmt::format(
        "config key '{}' has {} \"{}\", which is not a valid {}; write it as "
        "{}",
        entry.key, which, bound, config_type_name(entry.type),
        textual_form_example(entry.type)));
  }

  void check_choices(const rdc_config_entry& entry) const {
    if (entry.type != RDC_CONFIG_STRING) {
      refuse(fmt::format(
          "config key '{}' is of type {} but has choices; choices apply to "
          "string keys only",
          entry.key, config_type_name(entry.type)));
    }
    for (std::string_view choice : split_choices(entry.choices)) {
      if (choice.empty()) {
        refuse(fmt::format(
            "config key '{}' has choices \"{}\" with an empty alternative; "
            "separate non-empty values with '|'",
            entry.key, entry.choices));
      }
    }
  }

  // A default or an example the plugin's own rules would refuse is a bug
  // of the plugin, better told its author at load than a user at run time.
  void check_value(const rdc_config_entry& entry, std::string_view what,
                   const char* value) const {
    if (!is_textual_form_of(entry.type, value)) {
      refuse(fmt::format(
          "config key '{}' has {} \"{}\", which is not a valid {}; write "
          "it as {}",
          entry.key, what, value, config_type_name(entry.type),
          textual_form_example(entry.type)));
    }
    if (!is_within_range(entry, value)) {
      refuse(fmt::format(
          "config key '{}' has {} \"{}\", which its own range does not "
          "allow; expected {}",
          entry.key, what, value, range_expectation(entry)));
    }
    if (entry.choices != nullptr) {
      auto choices = split_choices(entry.choices);
      if (std::find(choices.begin(), choices.end(), std::string_view(value)) ==
          choices.end()) {
        refuse(fmt::format(
            "config key '{}' has {} \"{}\", which is not one of its "
            "choices \"{}\"",
            entry.key, what, value, entry.choices));
      }
    }
  }

  // Plugins are looked up by file name, so a name that differs from the
  // file's could never be found by the name a config uses.
  void check_file_name() const {
    std::string_view name = descriptor_->name;
    if (file_.stem().string() != name) {
      refuse(fmt::format(
          "plugin file '{}' declares name '{}'; the file must be named {}.so",
          file_.filename().string(), name, name));
    }
  }

  const rdc_plugin_descriptor* descriptor_;
  const std::filesystem::path& file_;
};

}  // namespace

void check_descriptor(const rdc_plugin_descriptor* descriptor,
                      const std::filesystem::path& file) {
  DescriptorChecker(descriptor, file).check();
}

}  // namespace rdconnect::plugin
