// `rdconnect validate --connect` for postgres_sink: does the database
// accept the login, and what will the sink find there?
#pragma once

#include <chrono>
#include <string>

#include "postgres_sink_options.hpp"

namespace rdconnect::postgres_sink {

/// Logs in to the database of `options` (giving up after `timeout`, at
/// least the 2 s libpq allows) and reads, writing nothing: the server
/// version, and whether the target table exists (or, with auto_create,
/// will be created). Returns "PostgreSQL 15.4 at postgresql://u@h/db;
/// table "public"."events" exists". Throws std::runtime_error with libpq's
/// reason, the password and the DSN redacted, and what to check; also
/// when the table is missing and auto_create is off.
std::string check_database(const PostgresSinkOptions& options,
                           std::chrono::milliseconds timeout);

}  // namespace rdconnect::postgres_sink
