// The connection string (DSN) is a secret: it usually carries a password.
// Nothing built from it reaches a log or an error message unredacted.
#pragma once

#include <string>
#include <string_view>

namespace rdconnect::postgres_sink {

/// A parsed libpq connection string, either form: a URI
/// ("postgresql://user:pw@host:5432/db") or key=value pairs
/// ("host=h user=u password=pw").
class Dsn {
 public:
  /// Throws std::invalid_argument (without echoing the text, which may hold
  /// a password) when libpq cannot parse `text`.
  explicit Dsn(std::string text);

  /// The string to hand to libpq.
  const std::string& text() const { return text_; }

  /// Where it points, without the password: "postgresql://user@host:port/db"
  /// (parts libpq leaves to its defaults are left out).
  const std::string& description() const { return description_; }

  /// `message` with the password and the whole connection string replaced,
  /// for error texts that come from libpq or libpqxx.
  std::string redact(std::string_view message) const;

 private:
  std::string text_;
  std::string password_;
  std::string description_;
};

}  // namespace rdconnect::postgres_sink
