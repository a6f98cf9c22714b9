// Compressed MusicXML (.mxl): a zip archive holding the score XML, a
// `mimetype` entry and META-INF/container.xml, which names the score. Both
// directions work on memory buffers; the callers read and write the files.
#pragma once

#include <string>

namespace dq::io {

// Largest score XML unzip_mxl() inflates (bytes); a larger entry is an error,
// found while reading, so a zip bomb costs at most this much memory.
constexpr long long kMaxUnzippedBytes = 64LL << 20;

// The score XML inside the .mxl archive `zip_bytes`: the first rootfile of
// META-INF/container.xml, or, without a container, the first .xml/.musicxml
// entry outside META-INF/. A missing `mimetype` entry is accepted. Throws
// dq::Error starting with `source` if the bytes are not a zip archive, the
// score entry is missing, unreadable or larger than kMaxUnzippedBytes.
std::string unzip_mxl(const std::string& zip_bytes, const std::string& source);

// A .mxl archive (the bytes of a zip file) holding `score_xml` as
// score.musicxml, with the `mimetype` entry first and stored uncompressed,
// and the META-INF/container.xml pointing to the score. Throws dq::Error if
// libzip fails.
std::string zip_mxl(const std::string& score_xml);

}  // namespace dq::io
