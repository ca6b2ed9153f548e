// Parses the JSON first (a union must see a value to choose its branch, and
// a record's keys come in any order), then walks the schema tree over it,
// writing Avro's binary encoding as it goes. avro-c's schema is walked
// alongside the tree for what the tree does not keep: the names of types,
// which a union's branches are named by, and enums' symbols unquoted.
#include "schema/avro_encoder.hpp"

#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <unordered_set>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/nearest_name.hpp"
#include "schema/avro_datum_fault.hpp"
#include "schema/avro_decoder.hpp"
#include "schema/avro_field_path.hpp"
#include "schema/avro_json_text.hpp"
#include "schema/avro_logical_text.hpp"

namespace rdconnect::schema {
namespace {

// A union's value may be wrapped in an object that names its branch, so a
// datum of kMaxDepth containers nests twice as deep in JSON, and once more
// for a wrapped value in the deepest. JSON nested deeper cannot be a datum,
// and is refused while it is parsed.
constexpr size_t kMaxJsonDepth = 2 * kMaxDepth + 1;

// Lists of symbols in error messages stop after this many.
constexpr size_t kMaxSymbolsShown = 16;

// ---- JSON ------------------------------------------------------------------

// A parsed JSON value. Numbers keep the text they were written in: a
// decimal must be read from the digits written, not from a double that
// rounded them, and an integer beyond 64 bits must fail, not round. Members
// keep their order, which a map is written in, and their repeats, which
// are an error rather than one of them lost.
struct JsonMember;

struct JsonValue {
  enum class Kind : uint8_t { null, boolean, number, string, object, array };
  Kind kind = Kind::null;
  bool boolean = false;
  std::string text;  // a string's value, a number's text
  // An object's members in their order; a vector of a type completed below,
  // as std::pair<std::string, JsonValue> cannot be instantiated here.
  std::vector<JsonMember> members;
  std::vector<JsonValue> items;
};

// Named as std::pair's members, which the code reads them as.
struct JsonMember {
  std::string first;
  JsonValue second;
};

using Kind = JsonValue::Kind;

// Builds a JsonValue from nlohmann's parser events.
class JsonBuilder {
 public:
  JsonValue& root() { return root_; }
  const std::string& error() const { return error_; }

  bool null() { return add(JsonValue{}); }
  bool boolean(bool value) {
    JsonValue json;
    json.kind = Kind::boolean;
    json.boolean = value;
    return add(std::move(json));
  }
  bool number_integer(int64_t value) { return number(fmt::to_string(value)); }
  bool number_unsigned(uint64_t value) { return number(fmt::to_string(value)); }
  bool number_float(double, const std::string& text) { return number(text); }
  bool string(std::string& value) {
    JsonValue json;
    json.kind = Kind::string;
    json.text = std::move(value);
    return add(std::move(json));
  }
  // JSON text has none.
  bool binary(nlohmann::json::binary_t&) { return false; }
  bool start_object(size_t) { return open(Kind::object); }
  bool key(std::string& key) {
    open_.back()->members.push_back({std::move(key), JsonValue{}});
    return true;
  }
  bool end_object() { return close(); }
  bool start_array(size_t) { return open(Kind::array); }
  bool end_array() { return close(); }
  bool parse_error(size_t, const std::string&,
                   const nlohmann::json::exception& error) {
    // what() starts with "[json.exception.parse_error.101] ".
    const std::string_view what = error.what();
    const size_t tag_end = what.find("] ");
    error_ = "not JSON: ";
    error_ +=
        tag_end == std::string_view::npos ? what : what.substr(tag_end + 2);
    return false;
  }

 private:
  bool number(std::string text) {
    JsonValue json;
    json.kind = Kind::number;
    json.text = std::move(text);
    return add(std::move(json));
  }

  // Only the innermost open container grows, so the pointers to the
  // others stay valid.
  JsonValue* place(JsonValue json) {
    if (open_.empty()) {
      root_ = std::move(json);
      return &root_;
    }
    JsonValue& parent = *open_.back();
    if (parent.kind == Kind::array) {
      parent.items.push_back(std::move(json));
      return &parent.items.back();
    }
    parent.members.back().second = std::move(json);
    return &parent.members.back().second;
  }

  bool add(JsonValue json) {
    place(std::move(json));
    return true;
  }

  bool open(Kind kind) {
    if (open_.size() == kMaxJsonDepth) {
      error_ = fmt::format(
          "the JSON nests deeper than {} levels, which no datum of {} "
          "records, arrays and maps inside each other does",
          kMaxJsonDepth, kMaxDepth);
      return false;
    }
    JsonValue json;
    json.kind = kind;
    open_.push_back(place(std::move(json)));
    return true;
  }

  bool close() {
    open_.pop_back();
    return true;
  }

  JsonValue root_;
  std::vector<JsonValue*> open_;
  std::string error_ = "not JSON";
};

const char* kind_of(const JsonValue& json) {
  switch (json.kind) {
    case Kind::null:
      return "null";
    case Kind::boolean:
      return "a boolean";
    case Kind::number:
      return "a number";
    case Kind::string:
      return "a string";
    case Kind::object:
      return "an object";
    case Kind::array:
      return "an array";
  }
  return "?";
}

// ---- messages --------------------------------------------------------------

// The JSON is not even the kind of value the type takes (a string for an
// int): a union tries its next branch without keeping the reason.
class KindMismatch : public DatumFault {
 public:
  using DatumFault::DatumFault;
};

[[noreturn]] void mismatch(std::string_view expected, const JsonValue& json) {
  throw KindMismatch(
      fmt::format("expected {}, got {}", expected, kind_of(json)));
}

// Runs `parse` over text, naming the text in its DatumFault.
template <typename Parse>
auto parsed(const char* what, const std::string& text, Parse parse) {
  try {
    return parse();
  } catch (const DatumFault& fault) {
    throw DatumFault(
        fmt::format("the {} {}: {}", what, shown(text), fault.what()));
  }
}

// ---- Avro's binary encoding ------------------------------------------------

void write_long(std::string& out, int64_t value) {
  // Unsigned arithmetic: no step can overflow.
  uint64_t zigzag =
      (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
  for (; zigzag >= 0x80; zigzag >>= 7) {
    out += static_cast<char>((zigzag & 0x7f) | 0x80);
  }
  out += static_cast<char>(zigzag);
}

void write_little_endian(std::string& out, uint64_t bits, size_t size) {
  for (size_t i = 0; i < size; ++i) {
    out += static_cast<char>(bits >> (8 * i));
  }
}

void write_bytes(std::string& out, std::string_view bytes) {
  write_long(out, static_cast<int64_t>(bytes.size()));
  out += bytes;
}

void write_bytes(std::string& out, std::span<const std::byte> bytes) {
  write_bytes(out, {reinterpret_cast<const char*>(bytes.data()), bytes.size()});
}

// ---- values ----------------------------------------------------------------

// The value of each base64 letter, in the standard and the URL-safe
// alphabet both; -1 for none.
constexpr std::array<int8_t, 256> kBase64Values = [] {
  std::array<int8_t, 256> table{};
  table.fill(-1);
  constexpr std::string_view kStandard =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t i = 0; i < kStandard.size(); ++i) {
    table[static_cast<unsigned char>(kStandard[i])] = static_cast<int8_t>(i);
  }
  table['-'] = 62;
  table['_'] = 63;
  return table;
}();

// The bytes of base64 text, padded to a multiple of 4 letters or not
// padded at all; nullopt for text that is not base64.
std::optional<std::string> from_base64(std::string_view text) {
  if (text.size() % 4 == 0) {
    for (int pad = 0; pad < 2 && !text.empty() && text.back() == '='; ++pad) {
      text.remove_suffix(1);
    }
  }
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  uint32_t bits = 0;
  int pending = 0;
  for (const char letter : text) {
    const int8_t value = kBase64Values[static_cast<unsigned char>(letter)];
    if (value < 0) return std::nullopt;
    bits = (bits << 6 | static_cast<uint32_t>(value)) & 0xffff;
    pending += 6;
    if (pending >= 8) {
      pending -= 8;
      out += static_cast<char>(bits >> pending);
    }
  }
  return out;
}

bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
                     (c >= 'A' && c <= 'F');
    if (dash ? c != '-' : !hex) return false;
  }
  return true;
}

// A JSON number's text that is an integer (no fraction, no exponent) of 64
// bits.
int64_t integer_of(const JsonValue& json) {
  if (json.kind != Kind::number) mismatch("an integer", json);
  const std::string& text = json.text;
  if (text.find_first_of(".eE") != std::string::npos) {
    throw KindMismatch(
        fmt::format("expected an integer, got the number {}", shortened(text)));
  }
  int64_t value = 0;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{}) {
    throw DatumFault(fmt::format("the integer {} is beyond a long's 64 bits",
                                 shortened(text)));
  }
  return value;
}

int32_t int32_of(const JsonValue& json) {
  const int64_t value = integer_of(json);
  if (value < std::numeric_limits<int32_t>::min() ||
      value > std::numeric_limits<int32_t>::max()) {
    throw DatumFault(
        fmt::format("the integer {} is beyond an int's 32 bits", value));
  }
  return static_cast<int32_t>(value);
}

// The nearest Floating to a JSON number's text. Beyond its range: too
// large is an error, too small is zero.
template <typename Floating>
Floating nearest(const std::string& text) {
  const char* const end = text.data() + text.size();
  Floating value = 0;
  if (std::from_chars(text.data(), end, value).ec == std::errc{}) return value;
  double wide = 0;
  if (std::from_chars(text.data(), end, wide).ec == std::errc{} &&
      std::fabs(wide) > std::numeric_limits<Floating>::max()) {
    throw DatumFault(fmt::format("the number {} is beyond a float's range",
                                 shortened(text)));
  }
  return text.front() == '-' ? -Floating{0} : Floating{0};
}

template <typename Floating>
Floating floating_of(const JsonValue& json) {
  if (json.kind == Kind::number) return nearest<Floating>(json.text);
  if (json.kind == Kind::string) {
    if (json.text == "NaN") return std::numeric_limits<Floating>::quiet_NaN();
    if (json.text == "Infinity") {
      return std::numeric_limits<Floating>::infinity();
    }
    if (json.text == "-Infinity") {
      return -std::numeric_limits<Floating>::infinity();
    }
  }
  mismatch("a number", json);
}

bool boolean_of(const JsonValue& json) {
  if (json.kind != Kind::boolean) mismatch("a boolean", json);
  return json.boolean;
}

// A string's bytes: callers check the kind, and say what they expected.
std::string base64_of(const JsonValue& json) {
  std::optional<std::string> bytes = from_base64(json.text);
  if (!bytes) {
    throw DatumFault(fmt::format("{} is not base64", shown(json.text)));
  }
  return std::move(*bytes);
}

std::vector<std::byte> decimal_of(const AvroNode& node, const JsonValue& json) {
  if (json.kind != Kind::number && json.kind != Kind::string) {
    mismatch("a decimal, as a string or a number", json);
  }
  return parsed("decimal", json.text,
                [&] { return parse_decimal(json.text, node.scale); });
}

int32_t date_of(const JsonValue& json) {
  if (json.kind == Kind::number) return int32_of(json);
  if (json.kind != Kind::string) {
    mismatch("a date, \"YYYY-MM-DD\" or an integer of days", json);
  }
  return parsed("date", json.text, [&] { return parse_date(json.text); });
}

int64_t time_of_day_of(const JsonValue& json, TimeUnit unit) {
  const bool millis = unit == TimeUnit::millis;
  if (json.kind == Kind::string) {
    return parsed("time of day", json.text,
                  [&] { return parse_time_of_day(json.text, unit); });
  }
  if (json.kind != Kind::number) {
    mismatch(millis ? "a time of day, \"HH:MM:SS.mmm\" or an integer of "
                      "milliseconds"
                    : "a time of day, \"HH:MM:SS.uuuuuu\" or an integer of "
                      "microseconds",
             json);
  }
  const int64_t value = integer_of(json);
  const int64_t per_day = millis ? 86'400'000 : 86'400'000'000;
  if (value < 0 || value >= per_day) {
    throw DatumFault(fmt::format("a time of day of {} {}s is not within a day",
                                 value,
                                 millis ? "millisecond" : "microsecond"));
  }
  return value;
}

int64_t timestamp_of(const JsonValue& json, TimeUnit unit, bool utc) {
  if (json.kind == Kind::number) return integer_of(json);
  if (json.kind != Kind::string) {
    mismatch(utc ? "a timestamp, RFC 3339 text or an integer"
                 : "a local timestamp, RFC 3339 text without an offset or an "
                   "integer",
             json);
  }
  return parsed("timestamp", json.text,
                [&] { return parse_timestamp(json.text, unit, utc); });
}

// ---- schemas ---------------------------------------------------------------

avro_schema_t resolved(avro_schema_t schema) {
  while (avro_typeof(schema) == AVRO_LINK) {
    schema = avro_schema_link_target(schema);
  }
  return schema;
}

// The record's field named `key`. Not avro-c's lookup by name, which
// writes each miss into one global error buffer (a race between threads,
// and a union's record branches miss as a matter of course). Objects
// mostly list the fields in the schema's order, so the one after the last
// found (`next`) is tried first.
std::optional<size_t> field_index(const AvroNode& record, std::string_view key,
                                  size_t next) {
  const std::vector<AvroField>& fields = record.fields;
  if (next < fields.size() && fields[next].name == key) return next;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == key) return i;
  }
  return std::nullopt;
}

// The enum's symbol `symbol`: not avro-c's lookup either, for the same
// reason.
std::optional<size_t> symbol_index(avro_schema_t enumeration,
                                   std::string_view symbol) {
  const int count = avro_schema_enum_number_of_symbols(enumeration);
  for (int i = 0; i < count; ++i) {
    if (symbol == avro_schema_enum_get(enumeration, i)) {
      return static_cast<size_t>(i);
    }
  }
  return std::nullopt;
}

bool is_container(AvroType type) {
  return type == AvroType::record || type == AvroType::array ||
         type == AvroType::map;
}

const char* logical_name(LogicalType type) {
  switch (type) {
    case LogicalType::none:
      break;
    case LogicalType::decimal:
      return "decimal";
    case LogicalType::uuid:
      return "uuid";
    case LogicalType::date:
      return "date";
    case LogicalType::time_millis:
      return "time-millis";
    case LogicalType::time_micros:
      return "time-micros";
    case LogicalType::timestamp_millis:
      return "timestamp-millis";
    case LogicalType::timestamp_micros:
      return "timestamp-micros";
    case LogicalType::local_timestamp_millis:
      return "local-timestamp-millis";
    case LogicalType::local_timestamp_micros:
      return "local-timestamp-micros";
  }
  return nullptr;
}

// For messages: the logical type's name, or the type's ("long", "Order").
std::string_view type_name(const AvroNode& node, avro_schema_t schema) {
  if (const char* logical = logical_name(node.logical)) return logical;
  return avro_schema_type_name(schema);
}

// Whether `key` names the type as Avro's JSON encoding of a union does:
// its name or full name for a named type, else the type's own name.
bool names(avro_schema_t schema, std::string_view key) {
  if (!is_avro_named_type(schema)) return key == avro_schema_type_name(schema);
  const std::string_view name = avro_schema_name(schema);
  if (key == name) return true;
  const char* space = avro_schema_namespace(schema);
  return space != nullptr && *space != '\0' &&
         key == fmt::format("{}.{}", space, name);
}

std::vector<std::string> field_names(const AvroNode& record) {
  std::vector<std::string> names;
  for (const AvroField& field : record.fields) names.push_back(field.name);
  return names;
}

std::vector<std::string> symbol_names(avro_schema_t enumeration) {
  std::vector<std::string> names;
  const int count = avro_schema_enum_number_of_symbols(enumeration);
  for (int i = 0; i < count; ++i) {
    names.emplace_back(avro_schema_enum_get(enumeration, i));
  }
  return names;
}

// `"A", "B", "C"`, the first kMaxSymbolsShown of them.
std::string symbol_list(const std::vector<std::string>& quoted) {
  std::string out;
  for (size_t i = 0; i < quoted.size() && i < kMaxSymbolsShown; ++i) {
    if (i > 0) out += ", ";
    out += quoted[i];
  }
  if (quoted.size() > kMaxSymbolsShown) {
    fmt::format_to(std::back_inserter(out), " and {} more",
                   quoted.size() - kMaxSymbolsShown);
  }
  return out;
}

// ---- the walk --------------------------------------------------------------

class Encoder {
 public:
  Encoder(const AvroTree& tree, std::string& out) : tree_(tree), out_(out) {}

  void run(avro_schema_t root, const JsonValue& json) {
    try {
      value(tree_.root, root, json);
    } catch (const DatumFault& fault) {
      throw AvroEncodeError(render(path_), fault.what());
    }
  }

 private:
  void value(NodeIndex index, avro_schema_t schema, const JsonValue& json) {
    schema = resolved(schema);
    const AvroNode& node = tree_.nodes[index];
    switch (node.type) {
      case AvroType::null:
        if (json.kind != Kind::null) mismatch("null", json);
        break;
      case AvroType::boolean:
        out_ += boolean_of(json) ? '\1' : '\0';
        break;
      case AvroType::int32:
        int32(node, json);
        break;
      case AvroType::int64:
        int64(node, json);
        break;
      case AvroType::float32:
        write_little_endian(
            out_, std::bit_cast<uint32_t>(floating_of<float>(json)), 4);
        break;
      case AvroType::float64:
        write_little_endian(
            out_, std::bit_cast<uint64_t>(floating_of<double>(json)), 8);
        break;
      case AvroType::bytes:
        bytes(node, json);
        break;
      case AvroType::fixed:
        fixed(node, schema, json);
        break;
      case AvroType::string:
        string_value(node, json);
        break;
      case AvroType::enumeration:
        enumeration(node, schema, json);
        break;
      case AvroType::tagged_union:
        tagged_union(node, schema, json);
        break;
      case AvroType::record:
        nested(&Encoder::record, node, schema, json);
        break;
      case AvroType::array:
        nested(&Encoder::array, node, schema, json);
        break;
      case AvroType::map:
        nested(&Encoder::map, node, schema, json);
        break;
    }
  }

  // Depth counts the containers, as the decoder's does.
  void nested(void (Encoder::*encode)(const AvroNode&, avro_schema_t,
                                      const JsonValue&),
              const AvroNode& node, avro_schema_t schema,
              const JsonValue& json) {
    if (++depth_ > kMaxDepth) {
      throw DatumFault(fmt::format("nested deeper than {} levels", kMaxDepth));
    }
    (this->*encode)(node, schema, json);
    --depth_;
  }

  void int32(const AvroNode& node, const JsonValue& json) {
    switch (node.logical) {
      case LogicalType::date:
        write_long(out_, date_of(json));
        break;
      case LogicalType::time_millis:
        write_long(out_, time_of_day_of(json, TimeUnit::millis));
        break;
      default:
        write_long(out_, int32_of(json));
    }
  }

  void int64(const AvroNode& node, const JsonValue& json) {
    switch (node.logical) {
      case LogicalType::time_micros:
        write_long(out_, time_of_day_of(json, TimeUnit::micros));
        break;
      case LogicalType::timestamp_millis:
      case LogicalType::local_timestamp_millis:
        write_long(out_,
                   timestamp_of(json, TimeUnit::millis,
                                node.logical == LogicalType::timestamp_millis));
        break;
      case LogicalType::timestamp_micros:
      case LogicalType::local_timestamp_micros:
        write_long(out_,
                   timestamp_of(json, TimeUnit::micros,
                                node.logical == LogicalType::timestamp_micros));
        break;
      default:
        write_long(out_, integer_of(json));
    }
  }

  void bytes(const AvroNode& node, const JsonValue& json) {
    if (node.logical == LogicalType::decimal) {
      write_bytes(out_, decimal_of(node, json));
    } else {
      if (json.kind != Kind::string) mismatch("a base64 string", json);
      write_bytes(out_, base64_of(json));
    }
  }

  void fixed(const AvroNode& node, avro_schema_t schema,
             const JsonValue& json) {
    if (node.logical == LogicalType::decimal) {
      fixed_decimal(node, schema, decimal_of(node, json));
      return;
    }
    if (json.kind != Kind::string) {
      mismatch(fmt::format("a base64 string of {} bytes", node.fixed_size),
               json);
    }
    const std::string bytes = base64_of(json);
    if (bytes.size() != node.fixed_size) {
      throw DatumFault(fmt::format("{} bytes, where the fixed {} holds {}",
                                   bytes.size(), avro_schema_name(schema),
                                   node.fixed_size));
    }
    out_ += bytes;
  }

  // Sign-extended to the fixed's size.
  void fixed_decimal(const AvroNode& node, avro_schema_t schema,
                     const std::vector<std::byte>& unscaled) {
    if (unscaled.size() > node.fixed_size) {
      throw DatumFault(fmt::format(
          "the decimal needs {} bytes, more than the fixed {} holds ({})",
          unscaled.size(), avro_schema_name(schema), node.fixed_size));
    }
    const bool negative = (std::to_integer<unsigned>(unscaled[0]) & 0x80) != 0;
    out_.append(node.fixed_size - unscaled.size(), negative ? '\xff' : '\0');
    out_.append(reinterpret_cast<const char*>(unscaled.data()),
                unscaled.size());
  }

  void string_value(const AvroNode& node, const JsonValue& json) {
    const bool uuid = node.logical == LogicalType::uuid;
    if (json.kind != Kind::string) mismatch(uuid ? "a UUID" : "a string", json);
    if (uuid && !is_uuid(json.text)) {
      throw DatumFault(
          fmt::format("{} is not a UUID: expected 8-4-4-4-12 hex digits",
                      shown(json.text)));
    }
    write_bytes(out_, json.text);
  }

  void enumeration(const AvroNode& node, avro_schema_t schema,
                   const JsonValue& json) {
    const char* name = avro_schema_name(schema);
    if (json.kind != Kind::string) {
      mismatch(fmt::format("a symbol of enum {}", name), json);
    }
    const std::optional<size_t> index = symbol_index(schema, json.text);
    if (!index) {
      throw DatumFault(fmt::format(
          "{} is not a symbol of enum {}{}: its symbols are {}",
          shown(json.text), name, did_you_mean(json.text, symbol_names(schema)),
          symbol_list(node.symbols)));
    }
    write_long(out_, static_cast<int64_t>(*index));
  }

  void record(const AvroNode& node, avro_schema_t schema,
              const JsonValue& json) {
    if (json.kind != Kind::object) {
      mismatch(fmt::format("an object (record {})", avro_schema_name(schema)),
               json);
    }
    const std::vector<const JsonValue*> values =
        field_values(node, schema, json);
    for (size_t i = 0; i < node.fields.size(); ++i) {
      const AvroField& field = node.fields[i];
      path_.push_back({PathStep::Kind::field, &field.name, 0, {}});
      if (values[i] == nullptr) {
        throw DatumFault(
            fmt::format("missing: the object has no key {} (schema defaults "
                        "are not filled in)",
                        shown(field.name)));
      }
      value(field.type,
            avro_schema_record_field_get_by_index(schema, static_cast<int>(i)),
            *values[i]);
      path_.pop_back();
    }
  }

  // Each field's value in the object, in the fields' order; nullptr for a
  // field it has no key for.
  static std::vector<const JsonValue*> field_values(const AvroNode& node,
                                                    avro_schema_t schema,
                                                    const JsonValue& json) {
    std::vector<const JsonValue*> values(node.fields.size(), nullptr);
    size_t next = 0;
    for (const auto& [key, member] : json.members) {
      const std::optional<size_t> at = field_index(node, key, next);
      if (!at) {
        throw DatumFault(fmt::format("the key {} is not a field of record {}{}",
                                     shown(key), avro_schema_name(schema),
                                     did_you_mean(key, field_names(node))));
      }
      if (values[*at] != nullptr) {
        throw DatumFault(fmt::format("the key {} repeats", shown(key)));
      }
      values[*at] = &member;
      next = *at + 1;
    }
    return values;
  }

  void array(const AvroNode& node, avro_schema_t schema,
             const JsonValue& json) {
    if (json.kind != Kind::array) mismatch("an array", json);
    const avro_schema_t items = avro_schema_array_items(schema);
    // One block of them all, and the empty block that ends an array.
    if (!json.items.empty()) {
      write_long(out_, static_cast<int64_t>(json.items.size()));
    }
    for (size_t i = 0; i < json.items.size(); ++i) {
      path_.push_back({PathStep::Kind::index, nullptr, i, {}});
      value(node.children.front(), items, json.items[i]);
      path_.pop_back();
    }
    write_long(out_, 0);
  }

  void map(const AvroNode& node, avro_schema_t schema, const JsonValue& json) {
    if (json.kind != Kind::object) mismatch("an object (a map)", json);
    const avro_schema_t values = avro_schema_map_values(schema);
    // A reader would keep one of them: which is anyone's guess.
    std::unordered_set<std::string_view> keys;
    if (!json.members.empty()) {
      write_long(out_, static_cast<int64_t>(json.members.size()));
    }
    for (const auto& [key, member] : json.members) {
      if (!keys.insert(key).second) {
        throw DatumFault(fmt::format("the map key {} repeats", shown(key)));
      }
      write_bytes(out_, key);
      path_.push_back({PathStep::Kind::key, nullptr, 0, key});
      value(node.children.front(), values, member);
      path_.pop_back();
    }
    write_long(out_, 0);
  }

  void tagged_union(const AvroNode& node, avro_schema_t schema,
                    const JsonValue& json) {
    if (const std::optional<size_t> named = named_branch(node, schema, json)) {
      write_long(out_, static_cast<int64_t>(*named));
      value(node.children[*named], branch(schema, *named),
            json.members.front().second);
      return;
    }
    std::string near_miss;
    for (size_t i = 0; i < node.children.size(); ++i) {
      if (took_branch(node, schema, i, json, near_miss)) return;
    }
    if (!near_miss.empty()) throw DatumFault(near_miss);
    std::string branches;
    for (size_t i = 0; i < node.children.size(); ++i) {
      if (i > 0) branches += ", ";
      branches += type_name(tree_.nodes[node.children[i]], branch(schema, i));
    }
    throw DatumFault(
        fmt::format("expected one of {}, got {}", branches, kind_of(json)));
  }

  // Writes `json` as branch `at` when the branch takes it. A record, map or
  // array branch takes it by its shape (errors inside are then the
  // value's), any other branch when it writes it without error; the first
  // such error that is more than the wrong kind of JSON is kept in
  // `near_miss`, for when no branch takes it.
  bool took_branch(const AvroNode& node, avro_schema_t schema, size_t at,
                   const JsonValue& json, std::string& near_miss) {
    const NodeIndex index = node.children[at];
    const avro_schema_t chosen = branch(schema, at);
    const size_t mark = out_.size();
    write_long(out_, static_cast<int64_t>(at));
    if (is_container(tree_.nodes[index].type)) {
      if (shape_fits(index, json)) {
        value(index, chosen, json);
        return true;
      }
    } else {
      try {
        value(index, chosen, json);
        return true;
      } catch (const KindMismatch&) {
      } catch (const DatumFault& fault) {
        if (near_miss.empty()) {
          near_miss = fmt::format(
              "as {}: {}", type_name(tree_.nodes[index], chosen), fault.what());
        }
      }
    }
    out_.resize(mark);
    return false;
  }

  // Avro's JSON encoding of a union: {"name": value}, where no record or
  // map branch takes the object as it is.
  std::optional<size_t> named_branch(const AvroNode& node, avro_schema_t schema,
                                     const JsonValue& json) const {
    if (json.kind != Kind::object || json.members.size() != 1) {
      return std::nullopt;
    }
    std::optional<size_t> named;
    for (size_t i = 0; i < node.children.size(); ++i) {
      const NodeIndex index = node.children[i];
      const avro_schema_t chosen = branch(schema, i);
      const AvroType type = tree_.nodes[index].type;
      if ((type == AvroType::record || type == AvroType::map) &&
          shape_fits(index, json)) {
        return std::nullopt;
      }
      if (!named && names(chosen, json.members.front().first)) named = i;
    }
    return named;
  }

  // For a record: an object with a key for each field and no other.
  bool shape_fits(NodeIndex index, const JsonValue& json) const {
    const AvroNode& node = tree_.nodes[index];
    switch (node.type) {
      case AvroType::array:
        return json.kind == Kind::array;
      case AvroType::map:
        return json.kind == Kind::object;
      case AvroType::record:
        if (json.kind != Kind::object ||
            json.members.size() != node.fields.size()) {
          return false;
        }
        for (size_t next = 0; const auto& member : json.members) {
          const std::optional<size_t> at =
              field_index(node, member.first, next);
          if (!at) return false;
          next = *at + 1;
        }
        return true;
      default:
        return false;
    }
  }

  static avro_schema_t branch(avro_schema_t schema, size_t at) {
    return resolved(avro_schema_union_branch(schema, static_cast<int>(at)));
  }

  const AvroTree& tree_;
  std::string& out_;
  std::vector<PathStep> path_;
  int depth_ = 0;
};

std::string message(const std::string& field_path, const std::string& reason) {
  if (field_path.empty()) return "datum: " + reason;
  return fmt::format("field '{}': {}", field_path, reason);
}

JsonValue parse_json(std::string_view text) {
  JsonBuilder builder;
  if (!nlohmann::json::sax_parse(text.begin(), text.end(), &builder)) {
    throw AvroEncodeError("", builder.error());
  }
  return std::move(builder.root());
}

}  // namespace

AvroEncodeError::AvroEncodeError(std::string field_path,
                                 const std::string& reason)
    : std::runtime_error(message(field_path, reason)),
      field_path_(std::move(field_path)) {}

void encode_avro(const AvroSchema& schema, std::string_view json,
                 std::string& out) {
  if (schema.tree().nodes.empty()) {
    throw std::logic_error("encode_avro: the AvroSchema was moved from");
  }
  const JsonValue value = parse_json(json);
  const size_t start = out.size();
  try {
    Encoder(schema.tree(), out).run(schema.avro(), value);
  } catch (...) {
    out.resize(start);
    throw;
  }
}

}  // namespace rdconnect::schema
