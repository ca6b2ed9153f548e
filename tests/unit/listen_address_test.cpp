// [host] http_listen / --http-listen addresses, and when they need a token.
#include <gtest/gtest.h>

#include "config/host_config.hpp"
#include "config/listen_address.hpp"

namespace rdconnect::config {
namespace {

TEST(ListenAddressTest, ParsesIpv4Ipv6AndLocalhostWithAPort) {
  const std::optional<ListenAddress> v4 =
      parse_listen_address("127.0.0.1:8083");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 8083);
  EXPECT_EQ(v4->to_string(), "127.0.0.1:8083");
  const std::optional<ListenAddress> v6 = parse_listen_address("[::1]:0");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
  EXPECT_EQ(v6->to_string(), "[::1]:0");
  EXPECT_TRUE(parse_listen_address("localhost:65535"));
}

TEST(ListenAddressTest, RefusesWhatIsNotAnAddressAndAPort) {
  for (const char* text :
       {"", "8083", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536",
        "127.0.0.1:-1", "127.0.0.1:80x", "::1:8083", "[127.0.0.1]:80",
        "example.com:8083", "256.0.0.1:80", ":8083"}) {
    EXPECT_FALSE(parse_listen_address(text)) << text;
  }
}

TEST(ListenAddressTest, LoopbackIsThisMachineOnly) {
  EXPECT_TRUE(parse_listen_address("127.0.0.1:1")->loopback());
  EXPECT_TRUE(parse_listen_address("127.8.9.10:1")->loopback());
  EXPECT_TRUE(parse_listen_address("[::1]:1")->loopback());
  EXPECT_TRUE(parse_listen_address("localhost:1")->loopback());
  EXPECT_FALSE(parse_listen_address("0.0.0.0:1")->loopback());
  EXPECT_FALSE(parse_listen_address("10.0.0.1:1")->loopback());
  EXPECT_FALSE(parse_listen_address("[::]:1")->loopback());
}

TEST(ListenAddressTest, OnlyAnExposedAddressWithoutATokenIsAProblem) {
  HostSettings host;
  EXPECT_FALSE(http_exposure_problem(host));
  host.http_listen = parse_listen_address("127.0.0.1:0");
  EXPECT_FALSE(http_exposure_problem(host));
  host.http_listen = parse_listen_address("0.0.0.0:8083");
  const std::optional<std::string> problem = http_exposure_problem(host);
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("0.0.0.0:8083 is reachable from other machines"),
            std::string::npos);
  EXPECT_NE(problem->find("http_token"), std::string::npos);
  host.http_token = "t";
  EXPECT_FALSE(http_exposure_problem(host));
}

TEST(ListenAddressTest, TheConfigSaysWhereABadAddressIs) {
  const std::string text =
      "[host]\nhttp_listen = \"nowhere\"\n"
      "[[sink]]\nname = \"s\"\nplugin = \"log_sink\"\ntopics = [\"t\"]\n";
  try {
    parse_host_config(text, "c.toml");
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what())
                  .find("c.toml:2:15: host.http_listen: 'nowhere' is not an "
                        "address to listen on"),
              std::string::npos)
        << error.what();
  }
  const HostConfig config = parse_host_config(
      "[host]\nhttp_listen = \"0.0.0.0:0\"\nhttp_token = \"x\"\n"
      "[[sink]]\nname = \"s\"\nplugin = \"log_sink\"\ntopics = [\"t\"]\n",
      "c.toml");
  ASSERT_TRUE(config.host.http_listen);
  EXPECT_EQ(config.host.http_listen->to_string(), "0.0.0.0:0");
  EXPECT_EQ(config.host.http_token, "x");
}

}  // namespace
}  // namespace rdconnect::config
