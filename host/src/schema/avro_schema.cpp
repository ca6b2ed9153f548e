#include "schema/avro_schema.hpp"

#include <string>
#include <unordered_map>
#include <utility>

#include <avro/errors.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "schema/avro_json_text.hpp"
#include "schema/avro_logical_type.hpp"

namespace rdconnect::schema {
namespace {

using nlohmann::json;

// Only against a stack overflow on a pathological schema: avro-c has
// recursed as deep already. Data nested this deep fails at kMaxDepth.
constexpr int kMaxSchemaDepth = 1000;

// avro-c and nlohmann read the same text, so they agree on its shape; this
// is for the case they do not, which would be a bug.
[[noreturn]] void shape_mismatch(std::string_view what) {
  throw UnusableSchema(
      fmt::format("the schema's JSON does not have the shape avro-c read "
                  "({}): please report this as a bug",
                  what));
}

const json& member(const json& object, const char* name) {
  if (!object.is_object()) shape_mismatch(name);
  const auto found = object.find(name);
  if (found == object.end()) shape_mismatch(name);
  return *found;
}

std::string json_string(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

// Walks avro-c's schema and the JSON it was parsed from side by side: the
// structure comes from avro-c, the logical types from the JSON.
class TreeBuilder {
 public:
  AvroTree build(avro_schema_t root, const json& text) {
    AvroTree tree;
    tree.root = add(root, text, 0);
    tree.nodes = std::move(nodes_);
    return tree;
  }

 private:
  NodeIndex add(avro_schema_t schema, const json& text, int depth) {
    if (depth > kMaxSchemaDepth) {
      throw UnusableSchema(fmt::format("the schema nests deeper than {} levels",
                                       kMaxSchemaDepth));
    }
    // A reference by name to a named type defined before, or to one being
    // defined (a recursive schema): avro-c links to it.
    if (avro_typeof(schema) == AVRO_LINK) {
      const auto found = named_.find(avro_schema_link_target(schema));
      if (found == named_.end()) shape_mismatch("a link to an unseen type");
      return found->second;
    }
    const auto index = static_cast<NodeIndex>(nodes_.size());
    nodes_.emplace_back();
    nodes_[index].type = type_of(schema);
    if (is_avro_named_type(schema)) named_.emplace(schema, index);
    // nodes_ grows below: no reference into it is held across add().
    switch (nodes_[index].type) {
      case AvroType::record:
        add_fields(index, schema, text, depth);
        break;
      case AvroType::enumeration:
        add_symbols(index, schema);
        break;
      case AvroType::array:
        add_child(index, avro_schema_array_items(schema), member(text, "items"),
                  depth);
        break;
      case AvroType::map:
        add_child(index, avro_schema_map_values(schema), member(text, "values"),
                  depth);
        break;
      case AvroType::tagged_union:
        add_branches(index, schema, text, depth);
        break;
      case AvroType::fixed:
        nodes_[index].fixed_size = fixed_size(schema);
        break;
      default:
        break;
    }
    AvroNode& node = nodes_[index];
    const LogicalAnnotation logical =
        read_logical_type(text, node.type, node.fixed_size);
    node.logical = logical.type;
    node.scale = logical.scale;
    node.may_be_empty = may_be_empty(node);
    return index;
  }

  static AvroType type_of(avro_schema_t schema) {
    switch (avro_typeof(schema)) {
      case AVRO_NULL:
        return AvroType::null;
      case AVRO_BOOLEAN:
        return AvroType::boolean;
      case AVRO_INT32:
        return AvroType::int32;
      case AVRO_INT64:
        return AvroType::int64;
      case AVRO_FLOAT:
        return AvroType::float32;
      case AVRO_DOUBLE:
        return AvroType::float64;
      case AVRO_BYTES:
        return AvroType::bytes;
      case AVRO_STRING:
        return AvroType::string;
      case AVRO_RECORD:
        return AvroType::record;
      case AVRO_ENUM:
        return AvroType::enumeration;
      case AVRO_ARRAY:
        return AvroType::array;
      case AVRO_MAP:
        return AvroType::map;
      case AVRO_UNION:
        return AvroType::tagged_union;
      case AVRO_FIXED:
        return AvroType::fixed;
      case AVRO_LINK:
        break;
    }
    shape_mismatch("an unknown avro-c type");
  }

  void add_fields(NodeIndex index, avro_schema_t schema, const json& text,
                  int depth) {
    const json& fields = member(text, "fields");
    const size_t count = avro_schema_record_size(schema);
    if (!fields.is_array() || fields.size() != count) shape_mismatch("fields");
    for (size_t i = 0; i < count; ++i) {
      const int at = static_cast<int>(i);
      AvroField field;
      field.name = avro_schema_record_field_name(schema, at);
      field.json_key = json_string(field.name) + ':';
      field.type = add(avro_schema_record_field_get_by_index(schema, at),
                       member(fields[i], "type"), depth + 1);
      nodes_[index].fields.push_back(std::move(field));
    }
  }

  void add_symbols(NodeIndex index, avro_schema_t schema) {
    const int count = avro_schema_enum_number_of_symbols(schema);
    for (int i = 0; i < count; ++i) {
      nodes_[index].symbols.push_back(
          json_string(avro_schema_enum_get(schema, i)));
    }
  }

  void add_child(NodeIndex index, avro_schema_t child, const json& text,
                 int depth) {
    const NodeIndex added = add(child, text, depth + 1);
    nodes_[index].children.push_back(added);
  }

  void add_branches(NodeIndex index, avro_schema_t schema, const json& text,
                    int depth) {
    const size_t count = avro_schema_union_size(schema);
    if (!text.is_array() || text.size() != count) shape_mismatch("a union");
    for (size_t i = 0; i < count; ++i) {
      add_child(index, avro_schema_union_branch(schema, static_cast<int>(i)),
                text[i], depth);
    }
  }

  // avro-c takes any integer for the size.
  static size_t fixed_size(avro_schema_t schema) {
    const int64_t size = avro_schema_fixed_size(schema);
    if (size < 0) {
      throw UnusableSchema(fmt::format("fixed type {}: size {} is negative",
                                       avro_schema_name(schema), size));
    }
    return static_cast<size_t>(size);
  }

  // A field that refers to a record still being built counts as taking
  // bytes. That is right: the record is then inside itself through records
  // only, which no finite value is, or through a union, array or map, which
  // take bytes.
  bool may_be_empty(const AvroNode& node) const {
    switch (node.type) {
      case AvroType::null:
        return true;
      case AvroType::fixed:
        return node.fixed_size == 0;
      case AvroType::record:
        for (const AvroField& field : node.fields) {
          if (!nodes_[field.type].may_be_empty) return false;
        }
        return true;
      default:
        return false;
    }
  }

  std::vector<AvroNode> nodes_;
  std::unordered_map<avro_schema_t, NodeIndex> named_;
};

}  // namespace

AvroSchema AvroSchema::parse(std::string_view text) {
  avro_schema_t parsed = nullptr;
  if (avro_schema_from_json_length(text.data(), text.size(), &parsed) != 0) {
    throw UnusableSchema(
        fmt::format("not a valid Avro schema: {}", avro_strerror()));
  }
  Owned schema(parsed);
  // avro-c 1.11 has no logical types: they are read from the JSON again.
  const json annotated = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (annotated.is_discarded()) shape_mismatch("not JSON to nlohmann");
  AvroTree tree = TreeBuilder().build(schema.get(), annotated);
  return AvroSchema(std::move(schema), std::move(tree));
}

}  // namespace rdconnect::schema
