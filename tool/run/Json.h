// A small JSON value with a strict parser and a writer: enough for schedule files and the
// `--report` summary without pulling a JSON library into the tool.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace threadcheck::run {

class Json {
public:
  enum class Type { Null, Bool, Number, String, Array, Object };

  Json() = default;
  static Json boolean(bool b);
  static Json number(double d);
  static Json integer(uint64_t v); // kept exact: seeds do not fit a double
  static Json string(std::string s);
  static Json array();
  static Json object();

  Type type() const { return type_; }
  bool isObject() const { return type_ == Type::Object; }
  bool isArray() const { return type_ == Type::Array; }
  bool isString() const { return type_ == Type::String; }
  bool isNumber() const { return type_ == Type::Number; }

  const std::string& str() const { return str_; }
  double num() const { return num_; }
  // The number as an exact unsigned integer, if it is one.
  std::optional<uint64_t> u64() const;
  const std::vector<Json>& items() const { return items_; }
  const Json* get(const std::string& key) const;

  Json& push(Json v);
  Json& set(const std::string& key, Json v);

  std::string dump(int indent = 2) const;

  // Returns nullopt and sets `error` (with the byte offset) on malformed input.
  static std::optional<Json> parse(const std::string& text, std::string& error);

private:
  void dumpTo(std::string& out, int indent, int depth) const;
  Type type_ = Type::Null;
  bool bool_ = false;
  double num_ = 0;
  std::string str_; // strings; for numbers, the literal text
  std::vector<Json> items_;
  std::vector<std::pair<std::string, Json>> members_;
};

std::string jsonQuote(const std::string& s);

} // namespace threadcheck::run
