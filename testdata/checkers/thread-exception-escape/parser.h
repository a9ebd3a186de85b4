// Parsing helpers defined in parser.cpp: one throws on bad input, one catches its own exceptions,
// one reaches the throwing one through another call.
#pragma once
#include <string>

int parse_port(const std::string& text);               // throws std::invalid_argument
int parse_port_or(const std::string& text, int other); // never lets an exception out
int parse_endpoint(const std::string& host_port);      // calls parse_port
