#include "Json.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace threadcheck::run {

Json Json::boolean(bool b) {
  Json j;
  j.type_ = Type::Bool;
  j.bool_ = b;
  return j;
}

Json Json::number(double d) {
  Json j;
  j.type_ = Type::Number;
  j.num_ = d;
  char buf[64];
  snprintf(buf, sizeof buf, "%.6g", d);
  j.str_ = buf;
  return j;
}

Json Json::integer(uint64_t v) {
  Json j;
  j.type_ = Type::Number;
  j.num_ = static_cast<double>(v);
  j.str_ = std::to_string(v);
  return j;
}

Json Json::string(std::string s) {
  Json j;
  j.type_ = Type::String;
  j.str_ = std::move(s);
  return j;
}

Json Json::array() {
  Json j;
  j.type_ = Type::Array;
  return j;
}

Json Json::object() {
  Json j;
  j.type_ = Type::Object;
  return j;
}

std::optional<uint64_t> Json::u64() const {
  if (type_ != Type::Number || str_.empty())
    return std::nullopt;
  for (char c : str_)
    if (c < '0' || c > '9')
      return std::nullopt;
  errno = 0;
  char* end = nullptr;
  unsigned long long v = strtoull(str_.c_str(), &end, 10);
  if (errno || *end)
    return std::nullopt;
  return v;
}

const Json* Json::get(const std::string& key) const {
  for (const auto& [k, v] : members_)
    if (k == key)
      return &v;
  return nullptr;
}

Json& Json::push(Json v) {
  items_.push_back(std::move(v));
  return items_.back();
}

Json& Json::set(const std::string& key, Json v) {
  for (auto& [k, old] : members_)
    if (k == key)
      return old = std::move(v);
  members_.emplace_back(key, std::move(v));
  return members_.back().second;
}

std::string jsonQuote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\r':
      out += "\\r";
      break;
    default:
      if (c < 0x20) {
        char buf[8];
        snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out += static_cast<char>(c);
      }
    }
  }
  return out + "\"";
}

void Json::dumpTo(std::string& out, int indent, int depth) const {
  auto newline = [&](int d) {
    if (indent <= 0)
      return;
    out += '\n';
    out.append(static_cast<size_t>(d * indent), ' ');
  };
  switch (type_) {
  case Type::Null:
    out += "null";
    break;
  case Type::Bool:
    out += bool_ ? "true" : "false";
    break;
  case Type::Number:
    out += str_;
    break;
  case Type::String:
    out += jsonQuote(str_);
    break;
  case Type::Array: {
    out += '[';
    // Arrays of numbers (schedule decisions) stay on one line.
    bool flat = true;
    for (const auto& v : items_)
      flat = flat && v.type_ == Type::Number;
    for (size_t i = 0; i < items_.size(); ++i) {
      if (i)
        out += flat ? "," : ",";
      if (!flat)
        newline(depth + 1);
      items_[i].dumpTo(out, indent, depth + 1);
    }
    if (!flat && !items_.empty())
      newline(depth);
    out += ']';
    break;
  }
  case Type::Object: {
    out += '{';
    for (size_t i = 0; i < members_.size(); ++i) {
      if (i)
        out += ',';
      newline(depth + 1);
      out += jsonQuote(members_[i].first);
      out += indent > 0 ? ": " : ":";
      members_[i].second.dumpTo(out, indent, depth + 1);
    }
    if (!members_.empty())
      newline(depth);
    out += '}';
    break;
  }
  }
}

std::string Json::dump(int indent) const {
  std::string out;
  dumpTo(out, indent, 0);
  if (indent > 0)
    out += '\n';
  return out;
}

namespace {

struct Parser {
  const std::string& s;
  size_t i = 0;
  std::string error;

  void ws() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r'))
      ++i;
  }
  bool fail(const char* what) {
    if (error.empty())
      error = std::string(what) + " at byte " + std::to_string(i);
    return false;
  }
  bool literal(const char* lit) {
    size_t n = strlen(lit);
    if (s.compare(i, n, lit) != 0)
      return fail("unexpected token");
    i += n;
    return true;
  }
  bool parseString(std::string& out) {
    if (i >= s.size() || s[i] != '"')
      return fail("expected a string");
    ++i;
    while (i < s.size() && s[i] != '"') {
      char c = s[i++];
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i >= s.size())
        return fail("unterminated escape");
      char e = s[i++];
      switch (e) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'u': {
        if (i + 4 > s.size())
          return fail("bad \\u escape");
        unsigned v = static_cast<unsigned>(strtoul(s.substr(i, 4).c_str(), nullptr, 16));
        i += 4;
        if (v < 0x80) {
          out += static_cast<char>(v);
        } else if (v < 0x800) {
          out += static_cast<char>(0xc0 | (v >> 6));
          out += static_cast<char>(0x80 | (v & 0x3f));
        } else {
          out += static_cast<char>(0xe0 | (v >> 12));
          out += static_cast<char>(0x80 | ((v >> 6) & 0x3f));
          out += static_cast<char>(0x80 | (v & 0x3f));
        }
        break;
      }
      default:
        out += e;
        break;
      }
    }
    if (i >= s.size())
      return fail("unterminated string");
    ++i;
    return true;
  }
  bool value(Json& out, int depth) {
    if (depth > 64)
      return fail("nesting too deep");
    ws();
    if (i >= s.size())
      return fail("unexpected end of input");
    char c = s[i];
    if (c == '{') {
      ++i;
      out = Json::object();
      ws();
      if (i < s.size() && s[i] == '}') {
        ++i;
        return true;
      }
      for (;;) {
        ws();
        std::string key;
        if (!parseString(key))
          return false;
        ws();
        if (i >= s.size() || s[i] != ':')
          return fail("expected ':'");
        ++i;
        Json v;
        if (!value(v, depth + 1))
          return false;
        out.set(key, std::move(v));
        ws();
        if (i < s.size() && s[i] == ',') {
          ++i;
          continue;
        }
        if (i < s.size() && s[i] == '}') {
          ++i;
          return true;
        }
        return fail("expected ',' or '}'");
      }
    }
    if (c == '[') {
      ++i;
      out = Json::array();
      ws();
      if (i < s.size() && s[i] == ']') {
        ++i;
        return true;
      }
      for (;;) {
        Json v;
        if (!value(v, depth + 1))
          return false;
        out.push(std::move(v));
        ws();
        if (i < s.size() && s[i] == ',') {
          ++i;
          continue;
        }
        if (i < s.size() && s[i] == ']') {
          ++i;
          return true;
        }
        return fail("expected ',' or ']'");
      }
    }
    if (c == '"') {
      std::string str;
      if (!parseString(str))
        return false;
      out = Json::string(std::move(str));
      return true;
    }
    if (c == 't')
      return literal("true") && (out = Json::boolean(true), true);
    if (c == 'f')
      return literal("false") && (out = Json::boolean(false), true);
    if (c == 'n')
      return literal("null") && (out = Json(), true);
    size_t start = i;
    while (i < s.size() && (isdigit(static_cast<unsigned char>(s[i])) || s[i] == '-' ||
                            s[i] == '+' || s[i] == '.' || s[i] == 'e' || s[i] == 'E'))
      ++i;
    if (start == i)
      return fail("unexpected character");
    std::string lit = s.substr(start, i - start);
    char* end = nullptr;
    double d = strtod(lit.c_str(), &end);
    if (*end)
      return fail("bad number");
    out = Json::number(d);
    bool integral = lit.find_first_not_of("0123456789") == std::string::npos;
    if (integral) {
      auto v = strtoull(lit.c_str(), nullptr, 10);
      out = Json::integer(v);
    }
    return true;
  }
};

} // namespace

std::optional<Json> Json::parse(const std::string& text, std::string& error) {
  Parser p{text};
  Json v;
  if (!p.value(v, 0)) {
    error = p.error;
    return std::nullopt;
  }
  p.ws();
  if (p.i != text.size()) {
    error = "trailing data at byte " + std::to_string(p.i);
    return std::nullopt;
  }
  return v;
}

} // namespace threadcheck::run
