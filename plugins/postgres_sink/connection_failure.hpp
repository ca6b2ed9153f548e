// Which database failures are worth retrying.
#pragma once

#include <exception>
#include <string>

namespace rdconnect::postgres_sink {

enum class FailureKind {
  /// The connection is gone or unusable (network, server restart, admin
  /// shutdown, commit outcome unknown): reconnect and repeat.
  kConnectionLost,
  /// The transaction lost a race (deadlock, serialization, out of
  /// connections): repeat on the same connection.
  kTransient,
  /// Repeating cannot help (bad SQL, permissions, data the server refuses).
  kPermanent,
};

/// Classifies an exception thrown by libpqxx; anything else is kPermanent.
/// A login the server refuses (wrong password, unknown role or database,
/// no pg_hba.conf entry) is permanent, though libpqxx reports it as a
/// broken connection.
FailureKind classify(const std::exception& error);

/// Whether the server refused a statement for the sake of the data in it
/// (class 22 data exception, class 54 program limit, a NOT NULL or CHECK
/// violation): a batch that fails so holds a record that can never be
/// written, and the others can.
bool refused_for_its_data(const std::exception& error);

/// The first line of a libpqxx error (the server's primary message, without
/// the DETAIL and CONTEXT lines that may quote a record), escaped and
/// shortened for a log line.
std::string primary_message(const std::exception& error);

}  // namespace rdconnect::postgres_sink
