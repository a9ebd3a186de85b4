// A mock used from several threads, as googlemock users write it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <mutex>
#include <thread>

namespace {

class Sink {
 public:
  virtual ~Sink() = default;
  virtual void Deliver(int id) = 0;
};

class MockSink : public Sink {
 public:
  MOCK_METHOD(void, Deliver, (int id), (override));
};

class Notifier {
 public:
  explicit Notifier(Sink* sink) : sink_(sink) {}
  // case: good
  // The sink is called outside the lock.
  void Notify(int id) {
    {
      std::lock_guard<std::mutex> lk(mu_);
      ++sent_;
    }
    sink_->Deliver(id);
  }

 private:
  std::mutex mu_;
  Sink* sink_;
  int sent_ = 0;
};

// case: good
TEST(NotifierTest, FromTwoThreads) {
  MockSink sink;
  EXPECT_CALL(sink, Deliver(testing::_)).Times(2);
  Notifier n(&sink);
  std::thread a([&] { n.Notify(1); });
  std::thread b([&] { n.Notify(2); });
  a.join();
  b.join();
}

}  // namespace
