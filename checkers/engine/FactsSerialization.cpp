#include "threadcheck/checkers/FactsSerialization.h"

#include "engine/FactsSerialization.h"

#include <algorithm>
#include <limits>
#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Support/xxhash.h>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

namespace threadcheck::checkers {
namespace {

constexpr char kMagic[8] = {'T', 'C', 'F', 'A', 'C', 'T', 'S', '\0'};

template <class T> struct IsVector : std::false_type {};
template <class T, class A> struct IsVector<std::vector<T, A>> : std::true_type {};
template <class T> struct IsOptional : std::false_type {};
template <class T> struct IsOptional<std::optional<T>> : std::true_type {};
template <class T> struct IsMap : std::false_type {};
template <class K, class V, class C, class A>
struct IsMap<std::map<K, V, C, A>> : std::true_type {};
template <class T> struct IsUniquePtr : std::false_type {};
template <class T, class D> struct IsUniquePtr<std::unique_ptr<T, D>> : std::true_type {};

// Zigzag keeps small negative numbers (sym = -1, an unreachable successor) to one byte.
uint64_t zigzag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t unzigzag(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

void putVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void putFixed(std::string& out, uint64_t v, unsigned bytes) {
  for (unsigned i = 0; i < bytes; ++i)
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// A bounds-checked cursor. Every read fails once one has failed.
class Cursor {
public:
  explicit Cursor(std::string_view bytes) : rest_(bytes) {}

  bool ok() const { return ok_; }
  bool empty() const { return rest_.empty(); }
  size_t remaining() const { return rest_.size(); }
  bool fail() { return ok_ = false; }

  bool varint(uint64_t& v) {
    v = 0;
    for (unsigned shift = 0; ok_ && shift < 64; shift += 7) {
      if (rest_.empty())
        return fail();
      auto byte = static_cast<uint8_t>(rest_.front());
      rest_.remove_prefix(1);
      v |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80))
        return true;
    }
    return fail();
  }
  bool fixed(uint64_t& v, unsigned bytes) {
    v = 0;
    if (!ok_ || rest_.size() < bytes)
      return fail();
    for (unsigned i = 0; i < bytes; ++i)
      v |= static_cast<uint64_t>(static_cast<uint8_t>(rest_[i])) << (8 * i);
    rest_.remove_prefix(bytes);
    return true;
  }
  bool bytes(std::string_view& out, uint64_t n) {
    if (!ok_ || rest_.size() < n)
      return fail();
    out = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return true;
  }
  bool lengthPrefixed(std::string_view& out) {
    uint64_t n;
    return varint(n) && bytes(out, n);
  }

private:
  std::string_view rest_;
  bool ok_ = true;
};

// Writes values into `body`, strings as indices into a table of distinct strings and interned
// model files as indices into a table of paths.
class Encoder {
public:
  static constexpr bool kReads = false;

  explicit Encoder(std::string root) : root_(std::move(root)) {}

  template <class T> void operator()(const T& x) {
    if constexpr (std::is_same_v<T, bool>) {
      body.push_back(x ? 1 : 0);
    } else if constexpr (std::is_enum_v<T>) {
      (*this)(static_cast<std::underlying_type_t<T>>(x));
    } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
      putVarint(body, zigzag(x));
    } else if constexpr (std::is_integral_v<T>) {
      putVarint(body, x);
    } else if constexpr (std::is_same_v<T, std::string>) {
      putVarint(body, intern(x));
    } else if constexpr (IsVector<T>::value) {
      putVarint(body, x.size());
      for (const auto& e : x)
        (*this)(e);
    } else if constexpr (IsOptional<T>::value || IsUniquePtr<T>::value) {
      body.push_back(x ? 1 : 0);
      if (x)
        (*this)(*x);
    } else if constexpr (IsMap<T>::value) {
      putVarint(body, x.size());
      for (const auto& [k, v] : x) {
        (*this)(k);
        (*this)(v);
      }
    } else {
      facts_io::fields(*this, x);
    }
  }

  void path(std::string_view p) {
    if (std::optional<std::string> rel = relativeToRoot(p)) {
      body.push_back(1);
      putVarint(body, intern(*rel));
    } else {
      body.push_back(0);
      putVarint(body, intern(p));
    }
  }

  // File 0 is "no file" in both the process's table and the file's.
  void file(uint32_t interned) {
    if (interned == 0) {
      putVarint(body, 0);
      return;
    }
    auto [it, inserted] = fileIndex_.try_emplace(interned, fileIndex_.size() + 1);
    if (inserted)
      files_.push_back(model::toLocation({interned, 1, 0}).file);
    putVarint(body, it->second);
  }

  // String table, file table, body.
  std::string payload() {
    std::string fileTable;
    putVarint(fileTable, files_.size());
    std::swap(body, fileTable); // path() writes into `body`
    for (const std::string& f : files_)
      path(f);
    std::swap(body, fileTable);
    std::string out;
    putVarint(out, strings_.size());
    for (const std::string& s : strings_) {
      putVarint(out, s.size());
      out += s;
    }
    out += fileTable;
    out += body;
    return out;
  }

  std::string body;

private:
  std::optional<std::string> relativeToRoot(std::string_view p) const {
    if (root_.empty() || p.size() <= root_.size() || !p.starts_with(root_))
      return std::nullopt;
    if (root_.back() == '/')
      return std::string(p.substr(root_.size()));
    if (p[root_.size()] != '/')
      return std::nullopt;
    return std::string(p.substr(root_.size() + 1));
  }

  uint64_t intern(std::string_view s) {
    auto [it, inserted] = stringIndex_.try_emplace(std::string(s), strings_.size());
    if (inserted)
      strings_.push_back(it->first);
    return it->second;
  }

  std::string root_;
  std::unordered_map<std::string, uint64_t> stringIndex_;
  std::vector<std::string> strings_;
  std::unordered_map<uint32_t, uint32_t> fileIndex_;
  std::vector<std::string> files_;
};

class Decoder {
public:
  static constexpr bool kReads = true;

  Decoder(std::string_view payload, std::string root) : in_(payload), root_(std::move(root)) {}

  // Reads the string and file tables that precede the values.
  bool start() {
    uint64_t n;
    if (!in_.varint(n) || n > in_.remaining())
      return in_.fail();
    strings_.resize(n);
    for (std::string_view& s : strings_)
      if (!in_.lengthPrefixed(s))
        return false;
    if (!in_.varint(n) || n > in_.remaining())
      return in_.fail();
    files_.assign(1, 0);
    for (uint64_t i = 0; i < n; ++i) {
      std::string p;
      if (!path(p))
        return false;
      files_.push_back(model::internFile(p));
    }
    return true;
  }

  template <class T> void operator()(T& x) {
    if (!in_.ok())
      return;
    if constexpr (std::is_same_v<T, bool>) {
      uint64_t v;
      if (in_.varint(v) && v > 1)
        in_.fail();
      x = v == 1;
    } else if constexpr (std::is_enum_v<T>) {
      std::underlying_type_t<T> v{};
      (*this)(v);
      x = static_cast<T>(v);
    } else if constexpr (std::is_integral_v<T>) {
      uint64_t raw;
      if (!in_.varint(raw))
        return;
      if constexpr (std::is_signed_v<T>) {
        int64_t v = unzigzag(raw);
        if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max())
          in_.fail();
        x = static_cast<T>(v);
      } else {
        if (raw > std::numeric_limits<T>::max())
          in_.fail();
        x = static_cast<T>(raw);
      }
    } else if constexpr (std::is_same_v<T, std::string>) {
      string(x);
    } else if constexpr (IsVector<T>::value) {
      uint64_t n;
      // Every element takes at least one byte: a damaged count cannot make us allocate more
      // than the file holds.
      if (!in_.varint(n) || n > in_.remaining()) {
        in_.fail();
        return;
      }
      x.clear();
      x.reserve(n);
      for (uint64_t i = 0; i < n && in_.ok(); ++i)
        (*this)(x.emplace_back());
    } else if constexpr (IsOptional<T>::value || IsUniquePtr<T>::value) {
      bool present = false;
      (*this)(present);
      if (!present) {
        x = T();
        return;
      }
      if constexpr (IsOptional<T>::value)
        x.emplace();
      else
        x = std::make_unique<typename T::element_type>();
      (*this)(*x);
    } else if constexpr (IsMap<T>::value) {
      uint64_t n;
      if (!in_.varint(n) || n > in_.remaining()) {
        in_.fail();
        return;
      }
      x.clear();
      for (uint64_t i = 0; i < n && in_.ok(); ++i) {
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

  bool string(std::string& s) {
    uint64_t i;
    if (!in_.varint(i) || i >= strings_.size())
      return in_.fail();
    s.assign(strings_[i]);
    return true;
  }

  bool path(std::string& p) {
    bool relative = false;
    (*this)(relative);
    if (!string(p))
      return false;
    if (relative && !root_.empty())
      p = root_ + (root_.back() == '/' ? "" : "/") + p;
    return true;
  }

  void file(uint32_t& interned) {
    uint64_t i;
    if (!in_.varint(i) || i >= files_.size()) {
      in_.fail();
      interned = 0;
      return;
    }
    interned = files_[i];
  }

  Cursor& cursor() { return in_; }

private:
  Cursor in_;
  std::string root_;
  std::vector<std::string_view> strings_;
  std::vector<uint32_t> files_; // file-table index -> this process's interned index
};

// Describes the layout (types in order, recursively) for the schema hash.
class SchemaVisitor {
public:
  static constexpr bool kReads = true;
  std::string signature;

  template <class T> void operator()(T& x) {
    if constexpr (std::is_same_v<T, bool>) {
      signature += 'b';
    } else if constexpr (std::is_enum_v<T>) {
      signature += 'e' + std::to_string(sizeof(T));
    } else if constexpr (std::is_integral_v<T>) {
      signature += (std::is_signed_v<T> ? 'i' : 'u') + std::to_string(sizeof(T));
    } else if constexpr (std::is_same_v<T, std::string>) {
      signature += 's';
    } else if constexpr (IsVector<T>::value || IsOptional<T>::value) {
      signature += IsVector<T>::value ? "v<" : "o<";
      typename T::value_type element{};
      (*this)(element);
      signature += '>';
    } else if constexpr (IsUniquePtr<T>::value) {
      signature += "p<";
      typename T::element_type element{};
      (*this)(element);
      signature += '>';
    } else if constexpr (IsMap<T>::value) {
      signature += "m<";
      typename T::key_type k{};
      typename T::mapped_type v{};
      (*this)(k);
      (*this)(v);
      signature += '>';
    } else {
      signature += '{';
      facts_io::fields(*this, x);
      signature += '}';
    }
  }
  void file(uint32_t&) { signature += 'F'; }
  void path(std::string&) { signature += 'P'; }
};

const char* kindName(uint64_t kind) {
  switch (kind) {
  case static_cast<uint64_t>(FactFileKind::CacheEntry):
    return "a cache entry";
  case static_cast<uint64_t>(FactFileKind::Shard):
    return "a shard file";
  default:
    return "an unknown kind of fact file";
  }
}

// The tool version a file claims, for an error message: the bytes come from the file, which may
// be damaged or hostile, so they are escaped (a newline or NUL would break the message's line) and
// cut short.
std::string displayVersion(std::string_view version) {
  constexpr size_t kMaxShown = 40;
  std::string out;
  llvm::raw_string_ostream os(out);
  llvm::printEscapedString(llvm::StringRef(version.data(), std::min(version.size(), kMaxShown)),
                           os);
  if (version.size() > kMaxShown)
    os << "...";
  return out;
}

} // namespace

uint64_t factsSchemaHash() {
  static const uint64_t hash = [] {
    SchemaVisitor v;
    TranslationUnitFacts facts;
    v(facts);
    v.signature += "/format" + std::to_string(kFactsFormatVersion);
    return llvm::xxh3_64bits(v.signature);
  }();
  return hash;
}

struct FactsWriter::Impl {
  explicit Impl(std::string root) : encoder(std::move(root)) {}
  Encoder encoder;
};

FactsWriter::FactsWriter(std::string pathRoot)
    : impl_(std::make_unique<Impl>(std::move(pathRoot))) {}
FactsWriter::~FactsWriter() = default;
FactsWriter::FactsWriter(FactsWriter&&) noexcept = default;
FactsWriter& FactsWriter::operator=(FactsWriter&&) noexcept = default;

void FactsWriter::writeUInt(uint64_t value) {
  impl_->encoder(value);
}
void FactsWriter::writeString(std::string_view value) {
  impl_->encoder(std::string(value));
}
void FactsWriter::writePath(std::string_view path) {
  impl_->encoder.path(path);
}
void FactsWriter::writeFacts(const TranslationUnitFacts& facts) {
  impl_->encoder(facts);
}

std::string FactsWriter::finish(FactFileKind kind, std::string_view toolVersion) {
  std::string payload = impl_->encoder.payload();
  std::string out(kMagic, sizeof kMagic);
  putFixed(out, kFactsFormatVersion, 4);
  putVarint(out, toolVersion.size());
  out += toolVersion;
  out.push_back(static_cast<char>(kind));
  putFixed(out, factsSchemaHash(), 8);
  putFixed(out, payload.size(), 8);
  putFixed(out, llvm::xxh3_64bits(payload), 8);
  out += payload;
  return out;
}

struct FactsReader::Impl {
  Impl(std::string_view payload, std::string root) : decoder(payload, std::move(root)) {}
  Decoder decoder;
};

FactsReader::FactsReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FactsReader::~FactsReader() = default;
FactsReader::FactsReader(FactsReader&&) noexcept = default;
FactsReader& FactsReader::operator=(FactsReader&&) noexcept = default;

llvm::Expected<FactsReader> FactsReader::open(std::string_view bytes, FactFileKind kind,
                                              std::string_view toolVersion, std::string pathRoot) {
  auto error = [](const llvm::Twine& message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
  };
  if (bytes.size() < sizeof kMagic || bytes.substr(0, sizeof kMagic) != std::string_view(kMagic, 8))
    return error("not a threadcheck fact file");
  Cursor in(bytes.substr(sizeof kMagic));
  uint64_t format = 0, kindByte = 0, schema = 0, size = 0, checksum = 0;
  std::string_view version;
  if (!in.fixed(format, 4))
    return error("truncated");
  if (format != kFactsFormatVersion)
    return error("written in fact format " + llvm::Twine(format) + ", this threadcheck reads " +
                 llvm::Twine(kFactsFormatVersion));
  if (!in.lengthPrefixed(version))
    return error("truncated");
  if (version != toolVersion)
    return error("written by threadcheck " + displayVersion(version) + ", this is threadcheck " +
                 llvm::Twine(toolVersion));
  if (!in.fixed(kindByte, 1) || !in.fixed(schema, 8) || !in.fixed(size, 8) ||
      !in.fixed(checksum, 8))
    return error("truncated");
  if (kindByte != static_cast<uint64_t>(kind))
    return error(llvm::Twine("is ") + kindName(kindByte) + ", not " +
                 kindName(static_cast<uint64_t>(kind)));
  if (schema != factsSchemaHash())
    return error("written by a threadcheck " + llvm::Twine(toolVersion) +
                 " build with a different fact layout; re-create it with this build");
  if (in.remaining() != size)
    return error(in.remaining() < size ? "truncated" : "has trailing data");
  std::string_view payload;
  in.bytes(payload, size);
  if (llvm::xxh3_64bits(payload) != checksum)
    return error("damaged (checksum mismatch)");
  auto impl = std::make_unique<Impl>(payload, std::move(pathRoot));
  if (!impl->decoder.start())
    return error("damaged (bad string or file table)");
  return FactsReader(std::move(impl));
}

bool FactsReader::readUInt(uint64_t& value) {
  impl_->decoder(value);
  return impl_->decoder.cursor().ok();
}
bool FactsReader::readString(std::string& value) {
  return impl_->decoder.cursor().ok() && impl_->decoder.string(value);
}
bool FactsReader::readPath(std::string& path) {
  return impl_->decoder.cursor().ok() && impl_->decoder.path(path);
}
bool FactsReader::readFacts(TranslationUnitFacts& facts) {
  impl_->decoder(facts);
  return impl_->decoder.cursor().ok();
}
bool FactsReader::finishedCleanly() const {
  return impl_->decoder.cursor().ok() && impl_->decoder.cursor().empty();
}

} // namespace threadcheck::checkers
