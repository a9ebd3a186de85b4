// The definitions behind parser.h, in their own translation unit: the thread entries that call them
// are checked with these functions' summaries.
#include "parser.h"

#include <stdexcept>

// case: support
int parse_port(const std::string& text) {
  int port = 0;
  for (char c : text) {
    if (c < '0' || c > '9')
      throw std::invalid_argument("port: not a number: " + text);
    port = port * 10 + (c - '0');
  }
  if (port == 0 || port > 65535)
    throw std::out_of_range("port: out of range: " + text);
  return port;
}

int parse_port_or(const std::string& text, int other) {
  try {
    return parse_port(text);
  } catch (...) {
    return other;
  }
}

int parse_endpoint(const std::string& host_port) {
  std::string::size_type colon = host_port.rfind(':');
  if (colon == std::string::npos)
    return parse_port(host_port);
  return parse_port(host_port.substr(colon + 1));
}
