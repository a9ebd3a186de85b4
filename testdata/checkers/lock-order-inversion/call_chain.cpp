// lock-order-inversion: orders hidden two calls deep. What a callee locks inside is also locked
// inside each of its callers, however many calls down the acquisition is.
#include <mutex>

std::mutex g_index_mu, g_journal_mu;
std::mutex g_cache_mu, g_store_mu;
int g_entries, g_cached;

// case: support
void journal_append() {
  std::lock_guard<std::mutex> j(g_journal_mu);
  ++g_entries;
}
void index_flush() {
  journal_append();
}

// case: bad
// rebuild_index holds the index lock and reaches the journal lock through index_flush and
// journal_append; compact_journal takes them the other way round.
void rebuild_index() {
  std::lock_guard<std::mutex> i(g_index_mu);
  index_flush(); // expect: lock-order-inversion
}
void compact_journal() {
  std::lock_guard<std::mutex> j(g_journal_mu);
  std::lock_guard<std::mutex> i(g_index_mu);
  g_entries = 0;
}

// case: support
void store_write() {
  std::lock_guard<std::mutex> s(g_store_mu);
  ++g_cached;
}
void cache_spill() {
  store_write();
}

// case: good
// Cache before store, directly and two calls deep: one order everywhere.
void cache_evict() {
  std::lock_guard<std::mutex> c(g_cache_mu);
  cache_spill();
}
void cache_refill() {
  std::lock_guard<std::mutex> c(g_cache_mu);
  std::lock_guard<std::mutex> s(g_store_mu);
  g_cached = 0;
}

// case: good
// The store lock is taken through the calls only after the cache lock is released.
void store_then_cache() {
  {
    std::lock_guard<std::mutex> c(g_cache_mu);
    --g_cached;
  }
  cache_spill();
  std::lock_guard<std::mutex> s(g_store_mu);
}
