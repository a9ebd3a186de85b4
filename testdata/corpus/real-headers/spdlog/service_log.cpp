// A service logging through spdlog's header-only build: synchronous and asynchronous loggers, the
// thread pool, the registry, periodic flushing and a sink of the project's own on top of
// base_sink<std::mutex>.
#include <spdlog/async.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace svc {

// case: good
// base_sink calls sink_it_/flush_ with its mutex held; the sink only appends.
template <typename Mutex>
class MemorySink : public spdlog::sinks::base_sink<Mutex> {
 public:
  std::vector<std::string> lines;

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    this->formatter_->format(msg, formatted);
    lines.emplace_back(formatted.data(), formatted.size());
  }
  void flush_() override {}
};

// case: good
int run_service() {
  spdlog::init_thread_pool(1024, 1);
  auto async_file = spdlog::basic_logger_mt<spdlog::async_factory>("svc", "/tmp/svc.log");
  auto console = spdlog::stdout_color_mt("console");
  auto memory = std::make_shared<MemorySink<std::mutex>>();
  spdlog::logger mem_logger("memory", memory);
  spdlog::flush_every(std::chrono::seconds(1));
  async_file->info("started {}", 1);
  console->warn("queue depth {}", 3);
  mem_logger.error("failed {}", "x");
  spdlog::drop("console");
  spdlog::shutdown();
  return static_cast<int>(memory->lines.size());
}

}  // namespace svc
