// Text helpers for names, flags and paths: ASCII lower-casing (safe on any
// byte, unlike ::tolower on a char), trimming, whole-number parsing with a
// clear error, and a path's lower-cased extension.
#pragma once

#include <string>

namespace dq::util {

// `text` with A-Z turned to a-z; every other byte (UTF-8 included) unchanged.
std::string to_lower(std::string text);

// `text` without leading and trailing spaces and tabs.
std::string trim(const std::string& text);

// The whole number `text` is (all of it); throws dq::Error "invalid WHAT 'TEXT'".
int parse_int(const std::string& text, const std::string& what);

// The extension of the file name of `path`: from its last dot, lower-cased
// (".musicxml" for "dir/Song.MusicXML", "" for "dir.d/README").
std::string extension_of(const std::string& path);

}  // namespace dq::util
