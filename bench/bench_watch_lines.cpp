// Watches a sink's output file grow:
//
//   bench_watch_lines FILE COUNT PID
//
// Reads FILE as it is written (waiting for it to appear) and counts its
// lines until there are COUNT, then prints, one `key=value` a line, when the
// count first reached 1 line (first), a tenth of COUNT (p10), nine tenths
// (p90) and COUNT (last), as CLOCK_REALTIME seconds that compare with bash's
// $EPOCHREALTIME, and the counts seen at p10 and p90 (a sink writes in
// chunks, so they can be past the mark). Exits 1 when PID, the writer, has
// exited before that. Only new bytes are read on each look, so watching
// costs the same however large the file gets.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include "bench_conf.hpp"

namespace {

using rdconnect::bench::die;

// Also the resolution of the times printed.
constexpr auto kPollInterval = std::chrono::milliseconds(1);

double now_seconds() {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  return static_cast<double>(now.tv_sec) + now.tv_nsec / 1e9;
}

// False once PID has exited: a zombie (exited, not yet waited for by the
// shell that started it) counts as exited.
bool alive(const std::string& pid) {
  std::ifstream stat("/proc/" + pid + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const size_t name_end = line.rfind(')');
  return name_end != std::string::npos && name_end + 2 < line.size() &&
         line[name_end + 2] != 'Z' && line[name_end + 2] != 'X';
}

struct Mark {
  uint64_t lines;
  double seconds = 0;
  uint64_t seen = 0;  // lines counted when the mark was passed
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) die("usage: bench_watch_lines FILE COUNT PID");
  const std::string path = argv[1];
  const uint64_t count = std::stoull(argv[2]);
  const std::string pid = argv[3];
  if (count == 0) die("COUNT must be at least 1");

  std::array<Mark, 4> marks{{{1},
                             {std::max<uint64_t>(1, count / 10)},
                             {std::max<uint64_t>(1, count * 9 / 10)},
                             {count}}};
  size_t next_mark = 0;
  int fd = -1;
  uint64_t lines = 0;
  static std::array<char, 1 << 20> buffer;
  while (next_mark < marks.size()) {
    if (fd < 0) fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    const ssize_t got = fd < 0 ? 0 : ::read(fd, buffer.data(), buffer.size());
    if (got < 0) die("cannot read " + path);
    if (got == 0) {
      if (!alive(pid)) {
        die("the writer exited with " + std::to_string(lines) + " of " +
            std::to_string(count) + " lines in " + path);
      }
      std::this_thread::sleep_for(kPollInterval);
      continue;
    }
    lines += std::count(buffer.data(), buffer.data() + got, '\n');
    const double seconds = now_seconds();
    while (next_mark < marks.size() && lines >= marks[next_mark].lines) {
      marks[next_mark].seconds = seconds;
      marks[next_mark].seen = lines;
      ++next_mark;
    }
  }
  std::printf(
      "first=%.6f\np10=%.6f\np10_lines=%llu\np90=%.6f\n"
      "p90_lines=%llu\nlast=%.6f\n",
      marks[0].seconds, marks[1].seconds,
      static_cast<unsigned long long>(marks[1].seen), marks[2].seconds,
      static_cast<unsigned long long>(marks[2].seen), marks[3].seconds);
  return 0;
}
