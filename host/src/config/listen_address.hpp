// "host:port" addresses the host's own servers listen on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rdconnect::config {

struct ListenAddress {
  /// An IPv4 or IPv6 literal (without brackets), or "localhost".
  std::string host;
  /// 0 picks a free port.
  uint16_t port = 0;

  /// 127.0.0.0/8, ::1 or localhost: reachable from this machine only.
  bool loopback() const;
  /// "127.0.0.1:8083", "[::1]:8083".
  std::string to_string() const;
};

/// Parses "127.0.0.1:8083", "[::1]:0", "localhost:8083", "0.0.0.0:8083".
/// Host names other than localhost are refused: what a name resolves to
/// can change, and with it whether the server is exposed. nullopt when
/// `text` is none of these; the caller says where and what to write.
std::optional<ListenAddress> parse_listen_address(std::string_view text);

}  // namespace rdconnect::config
