// The fact-file encoding: every member of every serialised struct is in its field list, a fully
// populated TranslationUnitFacts survives the round trip exactly, paths move with the checkout
// root, and damaged, truncated or foreign files are refused instead of half-read.
#include "engine/FactsSerialization.h"

#include "threadcheck/checkers/FactsSerialization.h"

#include <gtest/gtest.h>
#include <map>
#include <optional>
#include <set>
#include <vector>

namespace threadcheck::checkers {
// Outside the anonymous namespace: the conversions are only ever named in unevaluated
// contexts, and an undefined function with internal linkage draws a warning.
namespace member_count {

// Converts to any member type but T itself (which would make T{x} a copy).
template <class T> struct AnyMember {
  template <class U>
    requires(!std::is_same_v<std::remove_cvref_t<U>, T>)
  operator U&() const;
  template <class U>
    requires(!std::is_same_v<std::remove_cvref_t<U>, T>)
  operator U&&() const;
};

// The number of members of an aggregate: the most initialisers T{...} accepts.
template <class T, class... A> constexpr size_t memberCount() {
  if constexpr (requires { T{std::declval<A>()..., AnyMember<T>{}}; })
    return memberCount<T, A..., AnyMember<T>>();
  else
    return sizeof...(A);
}

} // namespace member_count

namespace {

using member_count::memberCount;

template <class T> struct IsVector : std::false_type {};
template <class T, class A> struct IsVector<std::vector<T, A>> : std::true_type {};
template <class T> struct IsOptional : std::false_type {};
template <class T> struct IsOptional<std::optional<T>> : std::true_type {};
template <class T> struct IsMap : std::false_type {};
template <class K, class V, class C, class A>
struct IsMap<std::map<K, V, C, A>> : std::true_type {};
template <class T> struct IsUniquePtr : std::false_type {};
template <class T, class D> struct IsUniquePtr<std::unique_ptr<T, D>> : std::true_type {};

// A readable type name without RTTI (LLVM may be built without it, and then so are we).
template <class T> std::string typeName() {
  std::string_view f = __PRETTY_FUNCTION__; // "... typeName() [T = ns::Type]"
  size_t start = f.find("T = ") + 4;
  return std::string(f.substr(start, f.rfind(']') - start));
}

template <class T>
constexpr bool kIsStruct =
    std::is_class_v<T> && !std::is_same_v<T, std::string> && !IsVector<T>::value &&
    !IsOptional<T>::value && !IsMap<T>::value && !IsUniquePtr<T>::value;

// Records where each listed field lies in its object, and walks into every struct type reachable
// from the root so each one's list is checked.
class LayoutVisitor {
public:
  static constexpr bool kReads = true;

  struct Span {
    size_t offset, size, align;
  };

  template <class T> void check(T& object) {
    std::string name = typeName<T>();
    if (!seen_.insert(name).second)
      return;
    LayoutVisitor inner;
    inner.base_ = reinterpret_cast<const char*>(&object);
    inner.seen_ = seen_;
    facts_io::fields(inner, object);
    seen_ = inner.seen_;

    if constexpr (std::is_aggregate_v<T>)
      EXPECT_EQ(inner.spans_.size(), memberCount<T>())
          << name << " has " << memberCount<T>() << " members but its field list in "
          << "engine/FactsSerialization.h names " << inner.spans_.size()
          << ": add the new member there";

    // Members are laid out in declaration order; between two listed ones there may only be the
    // padding the second one's alignment asks for.
    std::sort(inner.spans_.begin(), inner.spans_.end(),
              [](const Span& a, const Span& b) { return a.offset < b.offset; });
    size_t end = 0;
    for (const Span& s : inner.spans_) {
      EXPECT_EQ(s.offset, alignUp(end, s.align))
          << name << ": bytes " << end << ".." << s.offset
          << " hold a member missing from its field list in engine/FactsSerialization.h";
      end = s.offset + s.size;
    }
    EXPECT_EQ(sizeof(T), alignUp(end, alignof(T)))
        << name << ": a member after byte " << end << " is missing from its field list";
  }

  template <class T> void operator()(T& x) {
    record(x);
    walkType<T>();
  }
  void file(uint32_t& x) { record(x); }
  void path(std::string& x) { record(x); }

private:
  static size_t alignUp(size_t n, size_t a) { return (n + a - 1) / a * a; }

  template <class T> void record(T& x) {
    spans_.push_back(
        {static_cast<size_t>(reinterpret_cast<const char*>(&x) - base_), sizeof(T), alignof(T)});
  }

  template <class T> void walkType() {
    if constexpr (IsVector<T>::value || IsOptional<T>::value) {
      walkType<typename T::value_type>();
    } else if constexpr (IsUniquePtr<T>::value) {
      walkType<typename T::element_type>();
    } else if constexpr (IsMap<T>::value) {
      walkType<typename T::key_type>();
      walkType<typename T::mapped_type>();
    } else if constexpr (kIsStruct<T>) {
      T object{};
      check(object);
    }
  }

  const char* base_ = nullptr;
  std::vector<Span> spans_;
  std::set<std::string> seen_;
};

// Gives every field a value that differs from its default and from every other field's.
class PopulateVisitor {
public:
  static constexpr bool kReads = true;

  template <class T> void operator()(T& x) {
    ++n_;
    if constexpr (std::is_same_v<T, bool>) {
      x = true;
    } else if constexpr (std::is_enum_v<T>) {
      x = static_cast<T>(1 + n_ % 2);
    } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
      x = static_cast<T>(n_ % 2 ? -static_cast<int64_t>(n_) : int64_t(n_) * 100000);
    } else if constexpr (std::is_integral_v<T>) {
      x = static_cast<T>(n_ * 1000);
    } else if constexpr (std::is_same_v<T, std::string>) {
      x = std::string("s\0\xff", 3) + std::to_string(n_); // binary-safe, not only text
    } else if constexpr (IsVector<T>::value) {
      x.resize(2);
      for (auto& e : x)
        (*this)(e);
    } else if constexpr (IsOptional<T>::value) {
      x.emplace();
      (*this)(*x);
    } else if constexpr (IsUniquePtr<T>::value) {
      x = std::make_unique<typename T::element_type>();
      (*this)(*x);
    } else if constexpr (IsMap<T>::value) {
      for (int i = 0; i < 2; ++i) {
        typename T::key_type k;
        typename T::mapped_type v;
        (*this)(k);
        (*this)(v);
        x.emplace(std::move(k), std::move(v));
      }
    } else {
      facts_io::fields(*this, x);
    }
  }
  // Alternately under the root the writer relativises against and outside it.
  void path(std::string& x) {
    ++n_;
    x = (n_ % 2 ? "/proj/src/p" : "/usr/include/p") + std::to_string(n_) + ".h";
  }
  void file(uint32_t& x) {
    ++n_;
    x = model::internFile((n_ % 2 ? "/proj/lib/f" : "/opt/f") + std::to_string(n_) + ".cpp");
  }

private:
  size_t n_ = 0;
};

// A text rendering of every field, for comparing two objects in full.
class DumpVisitor {
public:
  static constexpr bool kReads = false;
  std::string out;

  template <class T> void operator()(const T& x) {
    if constexpr (std::is_enum_v<T>) {
      out += std::to_string(static_cast<int64_t>(x)) + ",";
    } else if constexpr (std::is_integral_v<T>) {
      out += std::to_string(x) + ",";
    } else if constexpr (std::is_same_v<T, std::string>) {
      out += "'" + x + "',";
    } else if constexpr (IsVector<T>::value || IsMap<T>::value) {
      out += "[" + std::to_string(x.size()) + ":";
      for (const auto& e : x)
        (*this)(e);
      out += "]";
    } else if constexpr (IsOptional<T>::value || IsUniquePtr<T>::value) {
      out += x ? "+" : "-";
      if (x)
        (*this)(*x);
    } else if constexpr (requires { x.first; }) {
      (*this)(x.first);
      (*this)(x.second);
    } else {
      out += "{";
      facts_io::fields(*this, x);
      out += "}";
    }
  }
  void path(const std::string& x) { out += "P'" + x + "',"; }
  void file(uint32_t x) { out += "F'" + model::toLocation({x, 1, 1}).file + "',"; }
};

std::string dump(const TranslationUnitFacts& facts) {
  DumpVisitor v;
  v(facts);
  return v.out;
}

TranslationUnitFacts populated() {
  TranslationUnitFacts facts;
  PopulateVisitor v;
  v(facts);
  return facts;
}

std::string write(const TranslationUnitFacts& facts, std::string root = "/proj",
                  FactFileKind kind = FactFileKind::Shard, std::string version = "1.2.3") {
  FactsWriter w(std::move(root));
  w.writeUInt(7);
  w.writeFacts(facts);
  w.writeString("after");
  return w.finish(kind, version);
}

// Reads what write() wrote; the error text on failure.
std::string read(std::string_view bytes, TranslationUnitFacts& facts, std::string root = "/proj",
                 FactFileKind kind = FactFileKind::Shard, std::string version = "1.2.3") {
  auto reader = FactsReader::open(bytes, kind, version, std::move(root));
  if (!reader)
    return llvm::toString(reader.takeError());
  uint64_t seven = 0;
  std::string after;
  if (!reader->readUInt(seven) || !reader->readFacts(facts) || !reader->readString(after) ||
      !reader->finishedCleanly())
    return "payload refused";
  EXPECT_EQ(seven, 7u);
  EXPECT_EQ(after, "after");
  return {};
}

TEST(FactsSerialization, EveryFieldIsSerialised) {
  TranslationUnitFacts facts;
  LayoutVisitor().check(facts);
}

TEST(FactsSerialization, PopulatedFactsRoundTripExactly) {
  TranslationUnitFacts facts = populated();
  ASSERT_EQ(facts.functions.size(), 2u);
  ASSERT_EQ(facts.functions[0]->blocks[1].events[1].captures.size(), 2u);
  ASSERT_TRUE(facts.localFindings[1].fix.has_value());

  std::string bytes = write(facts);
  TranslationUnitFacts back;
  ASSERT_EQ(read(bytes, back), "");
  EXPECT_EQ(dump(back), dump(facts));
  EXPECT_EQ(back.functions[1]->atomVars, facts.functions[1]->atomVars);
  EXPECT_EQ(back.localFindings[1].fix->replacements[1],
            facts.localFindings[1].fix->replacements[1]);
  EXPECT_EQ(model::toLocation(back.functions[0]->blocks[1].events[1].captures[1].loc),
            model::toLocation(facts.functions[0]->blocks[1].events[1].captures[1].loc));
  // Deterministic: the same facts give the same bytes (cache entries and shards are comparable).
  EXPECT_EQ(write(back), bytes);
}

TEST(FactsSerialization, EmptyFactsRoundTrip) {
  TranslationUnitFacts facts;
  TranslationUnitFacts back;
  ASSERT_EQ(read(write(facts), back), "");
  EXPECT_EQ(dump(back), dump(facts));
}

TEST(FactsSerialization, PathsUnderTheRootMoveWithIt) {
  TranslationUnitFacts facts;
  facts.mainFile = "/proj/src/a.cpp";
  Finding f;
  f.loc = {"/proj/src/a.cpp", 3, 4};
  f.notes.push_back({{"/usr/include/c++/mutex", 1, 1}, "note", 0});
  facts.localFindings.push_back(f);
  auto fn = std::make_unique<model::FunctionModel>();
  fn->loc = {model::internFile("/proj/src/a.h"), 2, 1};
  facts.functions.push_back(std::move(fn));

  TranslationUnitFacts back;
  ASSERT_EQ(read(write(facts, "/proj"), back, "/elsewhere/checkout"), "");
  EXPECT_EQ(back.mainFile, "/elsewhere/checkout/src/a.cpp");
  EXPECT_EQ(back.localFindings[0].loc.file, "/elsewhere/checkout/src/a.cpp");
  EXPECT_EQ(back.localFindings[0].notes[0].loc.file, "/usr/include/c++/mutex");
  EXPECT_EQ(model::toLocation(back.functions[0]->loc).file, "/elsewhere/checkout/src/a.h");
  // "/projX" is not under "/proj".
  facts.mainFile = "/projX/a.cpp";
  ASSERT_EQ(read(write(facts, "/proj"), back, "/elsewhere"), "");
  EXPECT_EQ(back.mainFile, "/projX/a.cpp");
}

TEST(FactsSerialization, EveryTruncationIsRefused) {
  std::string bytes = write(populated());
  for (size_t n = 0; n < bytes.size(); ++n) {
    TranslationUnitFacts back;
    EXPECT_NE(read(std::string_view(bytes).substr(0, n), back), "") << "cut at " << n;
  }
}

TEST(FactsSerialization, EveryFlippedByteIsRefused) {
  std::string bytes = write(populated());
  // Every byte of the envelope, and a spread of the payload (each one costs a full read).
  for (size_t i = 0; i < bytes.size(); i += (i < 64 ? 1 : 97)) {
    std::string damaged = bytes;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x5a);
    TranslationUnitFacts back;
    EXPECT_NE(read(damaged, back), "") << "byte " << i;
  }
}

TEST(FactsSerialization, ForeignFilesAreNamedForWhatTheyAre) {
  std::string bytes = write(populated());
  TranslationUnitFacts back;
  EXPECT_EQ(read("{\"version\": 1}", back), "not a threadcheck fact file");
  EXPECT_EQ(read("", back), "not a threadcheck fact file");
  EXPECT_EQ(read(bytes, back, "/proj", FactFileKind::Shard, "1.2.4"),
            "written by threadcheck 1.2.3, this is threadcheck 1.2.4");
  EXPECT_EQ(read(bytes, back, "/proj", FactFileKind::CacheEntry),
            "is a shard file, not a cache entry");
  EXPECT_EQ(read(bytes + "x", back), "has trailing data");
}

TEST(FactsSerialization, AForeignVersionIsShownAsOneReadableLine) {
  // Found by the shard fuzz target: the version a file claims went into the message as it was.
  FactsWriter w;
  w.writeUInt(1);
  std::string bytes = w.finish(FactFileKind::CacheEntry, std::string("1.0\n\0\\", 6));
  TranslationUnitFacts back;
  EXPECT_EQ(read(bytes, back, "/proj", FactFileKind::CacheEntry, "1.2.4"),
            "written by threadcheck 1.0\\0A\\00\\\\, this is threadcheck 1.2.4");
  bytes = FactsWriter().finish(FactFileKind::CacheEntry, std::string(100, 'v'));
  EXPECT_EQ(read(bytes, back, "/proj", FactFileKind::CacheEntry, "1.2.4"),
            "written by threadcheck " + std::string(40, 'v') + "..., this is threadcheck 1.2.4");
}

TEST(FactsSerialization, ReadingPastTheEndFailsAndStaysFailed) {
  FactsWriter w;
  w.writeUInt(1);
  std::string bytes = w.finish(FactFileKind::CacheEntry, "v");
  auto reader = FactsReader::open(bytes, FactFileKind::CacheEntry, "v");
  ASSERT_TRUE(bool(reader)) << llvm::toString(reader.takeError());
  uint64_t v = 0;
  EXPECT_TRUE(reader->readUInt(v));
  EXPECT_TRUE(reader->finishedCleanly());
  std::string s;
  EXPECT_FALSE(reader->readString(s));
  EXPECT_FALSE(reader->readUInt(v));
  EXPECT_FALSE(reader->finishedCleanly());
}

TEST(FactsSerialization, SchemaHashIsStable) {
  EXPECT_EQ(factsSchemaHash(), factsSchemaHash());
  EXPECT_NE(factsSchemaHash(), 0u);
}

} // namespace
} // namespace threadcheck::checkers
