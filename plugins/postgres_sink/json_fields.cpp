#include "json_fields.hpp"

#include <cstdint>
#include <limits>

#include <nlohmann/json.hpp>

namespace rdconnect::postgres_sink {
namespace {

// The parser refuses numbers that overflow a double, but turns those that
// underflow into zero, which PostgreSQL's double precision refuses.
bool double_holds(double value, std::string_view literal) {
  if (value != 0) return true;
  const std::string_view mantissa =
      literal.substr(0, literal.find_first_of("eE"));
  return mantissa.find_first_of("123456789") == std::string_view::npos;
}

// Collects the fields at depth 1 without building a document, and stops at
// once when the top-level value is not an object.
class FieldCollector : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool null() override { return scalar(JsonKind::kNull); }
  bool boolean(bool) override { return scalar(JsonKind::kBoolean); }
  bool number_integer(number_integer_t) override {
    return scalar(JsonKind::kInteger);
  }
  bool number_unsigned(number_unsigned_t value) override {
    return scalar(value <= static_cast<number_unsigned_t>(
                               std::numeric_limits<int64_t>::max())
                      ? JsonKind::kInteger
                      : JsonKind::kNumber);
  }
  bool number_float(number_float_t value, const string_t& literal) override {
    return scalar(double_holds(value, literal) ? JsonKind::kNumber
                                               : JsonKind::kOutOfRangeNumber);
  }
  bool string(string_t& value) override {
    if (!scalar(JsonKind::kString)) return false;
    if (depth_ == 1) fields_.back().text = value;
    return true;
  }
  bool binary(binary_t&) override { return scalar(JsonKind::kObjectOrArray); }
  bool start_object(std::size_t) override { return open(true); }
  bool key(string_t& name) override {
    if (depth_ == 1) name_ = name;
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(false); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception&) override {
    return false;
  }

  std::vector<JsonField>& fields() { return fields_; }

 private:
  bool scalar(JsonKind kind) {
    if (depth_ == 0) return false;
    if (depth_ == 1) fields_.push_back({name_, kind, {}});
    return true;
  }

  bool open(bool object) {
    if (depth_ == 0 && !object) return false;
    if (depth_ == 1) fields_.push_back({name_, JsonKind::kObjectOrArray, {}});
    ++depth_;
    return true;
  }

  bool close() {
    --depth_;
    return true;
  }

  int depth_ = 0;
  std::string name_;
  std::vector<JsonField> fields_;
};

}  // namespace

std::optional<std::vector<JsonField>> top_level_fields(std::string_view json) {
  FieldCollector collector;
  if (!nlohmann::json::sax_parse(json, &collector)) return std::nullopt;
  return std::move(collector.fields());
}

}  // namespace rdconnect::postgres_sink
