#include "common/log_context.hpp"

#include <utility>

namespace rdconnect {
namespace {

thread_local LogContext current_context;

}  // namespace

const LogContext& current_log_context() { return current_context; }

LogContextScope::LogContextScope(LogContext context)
    : previous_(std::exchange(current_context, std::move(context))) {}

LogContextScope::~LogContextScope() { current_context = std::move(previous_); }

}  // namespace rdconnect
