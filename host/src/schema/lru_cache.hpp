// A map of bounded size that drops its least recently used entry first.
#pragma once

#include <cstddef>
#include <list>
#include <unordered_map>
#include <utility>

namespace rdconnect::schema {

/// Not thread-safe.
template <typename Key, typename Value>
class LruCache {
 public:
  explicit LruCache(size_t capacity) : capacity_(capacity) {}

  /// The entry of `key`, now the most recently used, or null.
  const Value* find(const Key& key) {
    const auto entry = index_.find(key);
    if (entry == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, entry->second);
    return &entry->second->second;
  }

  /// Adds or replaces the entry of `key`, dropping the least recently used
  /// one when the cache is full.
  void put(const Key& key, Value value) {
    if (const auto entry = index_.find(key); entry != index_.end()) {
      entry->second->second = std::move(value);
      order_.splice(order_.begin(), order_, entry->second);
      return;
    }
    if (order_.size() >= capacity_ && !order_.empty()) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
    order_.emplace_front(key, std::move(value));
    index_.emplace(key, order_.begin());
  }

  size_t size() const { return order_.size(); }

 private:
  size_t capacity_;
  // Most recently used first.
  std::list<std::pair<Key, Value>> order_;
  std::unordered_map<Key, typename std::list<std::pair<Key, Value>>::iterator>
      index_;
};

}  // namespace rdconnect::schema
