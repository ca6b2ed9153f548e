#include "merge_statement.hpp"

#include "staging_table.hpp"

namespace rdconnect::postgres_sink {
namespace {

std::string fresh_records(const MergeSpec& spec) {
  std::string conditions;
  auto add = [&](const std::string& condition) {
    conditions += conditions.empty() ? " WHERE " : " AND ";
    conditions += condition;
  };
  if (spec.mode == WriteMode::kUpsert) {
    add("s.key IS NOT NULL");
    if (!spec.delete_on_tombstone) add("s.value IS NOT NULL");
  }
  return "fresh AS (SELECT s.* FROM " + std::string(kStagingTable) + " s" +
         conditions + ")";
}

std::string insert_into(const MergeSpec& spec, const std::string& source,
                        const std::string& condition) {
  std::string names = spec.key.name;
  std::string expressions = spec.key.expression;
  for (const TargetColumn& column : spec.values) {
    names += ", " + column.name;
    expressions += ", " + column.expression;
  }
  return "INSERT INTO " + spec.target.quoted() + " (" + names + ") SELECT " +
         expressions + " FROM " + source + " s" + condition;
}

std::string upsert(const MergeSpec& spec) {
  std::string updates;
  for (const TargetColumn& column : spec.values) {
    if (!updates.empty()) updates += ", ";
    updates += column.name + " = EXCLUDED." + column.name;
  }
  // Ordering by the converted key makes two spellings of one UUID a single
  // key, which ON CONFLICT DO UPDATE requires.
  return "WITH " + fresh_records(spec) + ", latest AS (SELECT DISTINCT ON (" +
         spec.key.expression + ") s.* FROM fresh s ORDER BY " +
         spec.key.expression + ", s.batch_seq DESC), deleted AS (DELETE FROM " +
         spec.target.quoted() +
         " t USING latest s WHERE s.value IS NULL AND t." + spec.key.name +
         " = " + spec.key.expression + ") " +
         insert_into(spec, "latest", " WHERE s.value IS NOT NULL") +
         " ON CONFLICT (" + spec.key.name + ") DO UPDATE SET " + updates;
}

std::string insert(const MergeSpec& spec) {
  return "WITH " + fresh_records(spec) + " " + insert_into(spec, "fresh", "") +
         " ON CONFLICT DO NOTHING";
}

}  // namespace

std::string merge_statement(const MergeSpec& spec) {
  return spec.mode == WriteMode::kUpsert ? upsert(spec) : insert(spec);
}

}  // namespace rdconnect::postgres_sink
