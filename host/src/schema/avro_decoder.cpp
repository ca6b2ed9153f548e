// Walks the writer's schema tree over the datum, decoding the varints
// itself (AvroReader) rather than through avro-c's generic reader: that one
// mallocs a length read from the data and loops over a block count read
// from the data before anything checks them, and builds a value tree the
// JSON would only be copied out of.
#include "schema/avro_decoder.hpp"

#include <optional>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "schema/avro_datum_fault.hpp"
#include "schema/avro_field_path.hpp"
#include "schema/avro_json_text.hpp"
#include "schema/avro_logical_text.hpp"
#include "schema/avro_reader.hpp"

namespace rdconnect::schema {
namespace {

// An array's or map's block: a count, negative when its size in bytes
// follows (so that readers can skip it).
struct Block {
  uint64_t count = 0;
  std::optional<size_t> end;  // where the block's bytes end, when it said
};

class Decoder {
 public:
  Decoder(const AvroTree& tree, std::span<const std::byte> datum)
      : tree_(tree), reader_(datum) {}

  std::string run() {
    try {
      value(tree_.root);
    } catch (const DatumFault& fault) {
      throw AvroDecodeError(render(path_), fault.what());
    }
    if (reader_.left() > 0) {
      throw AvroDecodeError(
          "", fmt::format("{} byte(s) left after the value: trailing data, or "
                          "not written with this schema",
                          reader_.left()));
    }
    return std::move(out_);
  }

 private:
  void value(NodeIndex index) {
    if (out_.size() > kMaxJsonBytes) {
      throw DatumFault(fmt::format("the JSON would be larger than {} MiB",
                                   kMaxJsonBytes >> 20));
    }
    const AvroNode& node = tree_.nodes[index];
    switch (node.type) {
      case AvroType::null:
        out_ += "null";
        break;
      case AvroType::boolean:
        out_ += reader_.read_boolean() ? "true" : "false";
        break;
      case AvroType::int32:
        int32(node);
        break;
      case AvroType::int64:
        int64(node);
        break;
      case AvroType::float32:
        append_json_number(out_, reader_.read_float());
        break;
      case AvroType::float64:
        append_json_number(out_, reader_.read_double());
        break;
      case AvroType::bytes:
        bytes(node, reader_.read_bytes());
        break;
      case AvroType::fixed:
        bytes(node, reader_.read_fixed(node.fixed_size));
        break;
      case AvroType::string:
        append_json_string(out_, checked_utf8(reader_.read_string(), "string"));
        break;
      case AvroType::enumeration:
        out_ += node.symbols[checked_index(reader_.read_int(),
                                           node.symbols.size(), "an enum")];
        break;
      case AvroType::tagged_union:
        // No wrapping: the JSON is the branch's value.
        value(node.children[checked_index(reader_.read_long(),
                                          node.children.size(), "a union")]);
        break;
      case AvroType::record:
        nested(&Decoder::record, node);
        break;
      case AvroType::array:
        nested(&Decoder::array, node);
        break;
      case AvroType::map:
        nested(&Decoder::map, node);
        break;
    }
  }

  // Depth counts the containers, which every cycle in a schema (a record
  // inside itself) goes through.
  void nested(void (Decoder::*decode)(const AvroNode&), const AvroNode& node) {
    if (++depth_ > kMaxDepth) {
      throw DatumFault(fmt::format("nested deeper than {} levels", kMaxDepth));
    }
    (this->*decode)(node);
    --depth_;
  }

  void int32(const AvroNode& node) {
    const int32_t value = reader_.read_int();
    switch (node.logical) {
      case LogicalType::date:
        append_date(out_, value);
        break;
      case LogicalType::time_millis:
        append_time_of_day(out_, value, TimeUnit::millis);
        break;
      default:
        append_json_number(out_, int64_t{value});
    }
  }

  void int64(const AvroNode& node) {
    const int64_t value = reader_.read_long();
    switch (node.logical) {
      case LogicalType::time_micros:
        append_time_of_day(out_, value, TimeUnit::micros);
        break;
      case LogicalType::timestamp_millis:
      case LogicalType::local_timestamp_millis:
        append_timestamp(out_, value, TimeUnit::millis,
                         node.logical == LogicalType::timestamp_millis);
        break;
      case LogicalType::timestamp_micros:
      case LogicalType::local_timestamp_micros:
        append_timestamp(out_, value, TimeUnit::micros,
                         node.logical == LogicalType::timestamp_micros);
        break;
      default:
        append_json_number(out_, value);
    }
  }

  void bytes(const AvroNode& node, std::span<const std::byte> data) {
    if (node.logical == LogicalType::decimal) {
      append_decimal(out_, data, node.scale);
    } else {
      append_base64(out_, data);
    }
  }

  void record(const AvroNode& node) {
    out_ += '{';
    for (const AvroField& field : node.fields) {
      if (&field != &node.fields.front()) out_ += ',';
      out_ += field.json_key;
      path_.push_back({PathStep::Kind::field, &field.name, 0, {}});
      value(field.type);
      path_.pop_back();
    }
    out_ += '}';
  }

  void array(const AvroNode& node) {
    const NodeIndex items = node.children.front();
    const bool items_may_be_empty = tree_.nodes[items].may_be_empty;
    out_ += '[';
    uint64_t index = 0;
    for (Block block = next_block(items_may_be_empty); block.count > 0;
         block = next_block(items_may_be_empty)) {
      for (uint64_t i = 0; i < block.count; ++i, ++index) {
        if (index > 0) out_ += ',';
        path_.push_back({PathStep::Kind::index, nullptr, index, {}});
        value(items);
        path_.pop_back();
      }
      check_block_end(block);
    }
    out_ += ']';
  }

  void map(const AvroNode& node) {
    const NodeIndex values = node.children.front();
    // JSON objects should not repeat a name, and which one of two a sink
    // would keep is anyone's guess: no writer of a map repeats a key.
    std::unordered_set<std::string_view> keys;
    out_ += '{';
    // Every entry takes a byte at least, its key's length.
    for (Block block = next_block(false); block.count > 0;
         block = next_block(false)) {
      for (uint64_t i = 0; i < block.count; ++i) {
        if (!keys.empty()) out_ += ',';
        const std::string_view key =
            checked_utf8(reader_.read_string(), "map key");
        if (!keys.insert(key).second) {
          throw DatumFault(fmt::format("the map key {} repeats", quoted(key)));
        }
        append_json_string(out_, key);
        out_ += ':';
        path_.push_back({PathStep::Kind::key, nullptr, 0, key});
        value(values);
        path_.pop_back();
      }
      check_block_end(block);
    }
    out_ += '}';
  }

  // Checks the count against the bytes left (for items that take a byte at
  // least) and against the datum's item budget before any item is read:
  // a hostile count of 2^40 fails here, not after a long loop.
  Block next_block(bool items_may_be_empty) {
    int64_t count = reader_.read_long();
    Block block;
    if (count < 0) {
      if (count == INT64_MIN) throw DatumFault("a block count of -2^63");
      count = -count;
      const int64_t size = reader_.read_long();
      if (size < 0 || static_cast<uint64_t>(size) > reader_.left()) {
        throw DatumFault(fmt::format(
            "truncated: a block of {} byte(s), {} left", size, reader_.left()));
      }
      block.end = reader_.position() + static_cast<size_t>(size);
    }
    block.count = static_cast<uint64_t>(count);
    if (!items_may_be_empty && block.count > reader_.left()) {
      throw DatumFault(
          fmt::format("truncated: a block of {} items, {} byte(s) left",
                      block.count, reader_.left()));
    }
    if (block.count > items_left_) {
      throw DatumFault(fmt::format(
          "a block of {} items, beyond the {} array items and map entries a "
          "datum may have",
          block.count, kMaxItems));
    }
    items_left_ -= block.count;
    return block;
  }

  // Only readers that skip blocks need their byte size; one that does not
  // match the items is a sign of corrupt data, which would otherwise read
  // on as garbage.
  void check_block_end(const Block& block) const {
    if (block.end && reader_.position() != *block.end) {
      throw DatumFault(fmt::format(
          "a block said it ends at byte {}, its items end at byte {}",
          *block.end, reader_.position()));
    }
  }

  static size_t checked_index(int64_t index, size_t count, const char* what) {
    if (index < 0 || static_cast<uint64_t>(index) >= count) {
      throw DatumFault(fmt::format("{} index of {}, not in 0 to {}", what,
                                   index, count - 1));
    }
    return static_cast<size_t>(index);
  }

  static std::string_view checked_utf8(std::string_view text,
                                       const char* what) {
    if (const std::optional<size_t> at = find_invalid_utf8(text)) {
      throw DatumFault(fmt::format("the {} is not UTF-8 (at byte {} of {})",
                                   what, *at, text.size()));
    }
    return text;
  }

  static std::string quoted(std::string_view key) {
    std::string out;
    append_json_string(out, shortened(key));
    return out;
  }

  const AvroTree& tree_;
  AvroReader reader_;
  std::string out_;
  std::vector<PathStep> path_;
  int depth_ = 0;
  size_t items_left_ = kMaxItems;
};

std::string message(const std::string& field_path, const std::string& reason) {
  if (field_path.empty()) return "datum: " + reason;
  return fmt::format("field '{}': {}", field_path, reason);
}

}  // namespace

AvroDecodeError::AvroDecodeError(std::string field_path,
                                 const std::string& reason)
    : std::runtime_error(message(field_path, reason)),
      field_path_(std::move(field_path)) {}

std::string decode_avro(const AvroSchema& writer,
                        std::span<const std::byte> datum) {
  if (writer.tree().nodes.empty()) {
    throw std::logic_error("decode_avro: the AvroSchema was moved from");
  }
  return Decoder(writer.tree(), datum).run();
}

}  // namespace rdconnect::schema
