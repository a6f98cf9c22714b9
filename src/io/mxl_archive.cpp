#include "io/mxl_archive.h"

#include <zip.h>
#include <cstdio>
#include <memory>
#include <pugixml.hpp>

#include "util/error.h"

namespace dq::io {

namespace {

constexpr char kContainerPath[] = "META-INF/container.xml";
constexpr char kScorePath[] = "score.musicxml";
constexpr char kMimetype[] = "application/vnd.recordare.musicxml";
constexpr char kContainerXml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<container>\n"
    "  <rootfiles>\n"
    "    <rootfile full-path=\"score.musicxml\" "
    "media-type=\"application/vnd.recordare.musicxml+xml\"/>\n"
    "  </rootfiles>\n"
    "</container>\n";
// Largest META-INF/container.xml read (bytes).
constexpr long long kMaxContainerBytes = 1 << 20;
// Bytes inflated per zip_fread call.
constexpr size_t kChunkBytes = 1 << 16;

// Closes an archive opened for reading without writing anything back.
struct ArchiveCloser {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};
using Archive = std::unique_ptr<zip_t, ArchiveCloser>;

struct FileCloser {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The inflated bytes of entry `index`, at most `limit` of them.
std::string read_entry(zip_t* archive, zip_uint64_t index, long long limit, const std::string& source) {
  const char* name = zip_get_name(archive, index, 0);
  std::string entry = name ? name : "?";
  std::unique_ptr<zip_file_t, FileCloser> file(zip_fopen_index(archive, index, 0));
  if (!file) {
    throw Error(source + ": cannot open " + entry + " in the .mxl archive (" + zip_strerror(archive) + ")");
  }
  std::string bytes;
  char chunk[kChunkBytes];
  while (true) {
    zip_int64_t n = zip_fread(file.get(), chunk, sizeof(chunk));
    if (n < 0) {
      throw Error(source + ": cannot inflate " + entry + " (" + zip_file_strerror(file.get()) + ")");
    }
    if (n == 0) break;
    if (static_cast<long long>(bytes.size()) + n > limit) {
      throw Error(source + ": " + entry + " inflates to more than " + std::to_string(limit) + " bytes (zip bomb?)");
    }
    bytes.append(chunk, static_cast<size_t>(n));
  }
  return bytes;
}

// The entry the container names, or -1 when there is no usable container.
zip_int64_t rootfile_index(zip_t* archive, const std::string& source) {
  zip_int64_t index = zip_name_locate(archive, kContainerPath, 0);
  if (index < 0) return -1;
  std::string container = read_entry(archive, index, kMaxContainerBytes, source);
  pugi::xml_document doc;
  if (!doc.load_buffer(container.data(), container.size())) {
    throw Error(source + ": META-INF/container.xml is not well-formed XML");
  }
  pugi::xml_node rootfile = doc.child("container").child("rootfiles").child("rootfile");
  std::string path = rootfile.attribute("full-path").value();
  if (path.empty()) return -1;
  if (path[0] == '/') path.erase(0, 1);
  zip_int64_t score = zip_name_locate(archive, path.c_str(), 0);
  if (score < 0) {
    throw Error(source + ": META-INF/container.xml names " + path + ", which the archive does not hold");
  }
  return score;
}

// The first .xml or .musicxml entry outside META-INF/, or -1.
zip_int64_t first_score_entry(zip_t* archive) {
  zip_int64_t count = zip_get_num_entries(archive, 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    const char* name = zip_get_name(archive, i, 0);
    if (!name) continue;
    std::string entry = name;
    if (entry.rfind("META-INF/", 0) == 0) continue;
    if (ends_with(entry, ".xml") || ends_with(entry, ".musicxml")) return i;
  }
  return -1;
}

[[noreturn]] void fail_zip(const std::string& what, zip_error_t* error) {
  std::string message = what + " (" + zip_error_strerror(error) + ")";
  zip_error_fini(error);
  throw Error(message);
}

// Adds `bytes` (which must outlive zip_close) as entry `name`; returns its index.
zip_int64_t add_entry(zip_t* archive, const char* name, const std::string& bytes) {
  zip_source_t* source = zip_source_buffer(archive, bytes.data(), bytes.size(), 0);
  if (!source) throw Error(std::string("cannot add ") + name + " to the .mxl archive");
  zip_int64_t index = zip_file_add(archive, name, source, ZIP_FL_ENC_UTF_8);
  if (index < 0) {
    zip_source_free(source);
    throw Error(std::string("cannot add ") + name + " to the .mxl archive (" + zip_strerror(archive) + ")");
  }
  return index;
}

}  // namespace

std::string unzip_mxl(const std::string& zip_bytes, const std::string& source) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(zip_bytes.data(), zip_bytes.size(), 0, &error);
  if (!buffer) fail_zip(source + ": cannot read the .mxl archive", &error);
  Archive archive(zip_open_from_source(buffer, ZIP_RDONLY, &error));
  if (!archive) {
    zip_source_free(buffer);
    fail_zip(source + ": not a valid .mxl (zip) archive", &error);
  }
  zip_error_fini(&error);

  zip_int64_t index = rootfile_index(archive.get(), source);
  if (index < 0) index = first_score_entry(archive.get());
  if (index < 0) throw Error(source + ": the .mxl archive holds no MusicXML score");
  return read_entry(archive.get(), index, kMaxUnzippedBytes, source);
}

std::string zip_mxl(const std::string& score_xml) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (!buffer) fail_zip("cannot create the .mxl archive", &error);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (!archive) {
    zip_source_free(buffer);
    fail_zip("cannot create the .mxl archive", &error);
  }
  zip_error_fini(&error);
  zip_source_keep(buffer);  // keep the bytes after zip_close

  const std::string mimetype = kMimetype;
  const std::string container = kContainerXml;
  try {
    zip_int64_t mime_index = add_entry(archive, "mimetype", mimetype);
    zip_set_file_compression(archive, mime_index, ZIP_CM_STORE, 0);
    add_entry(archive, kContainerPath, container);
    add_entry(archive, kScorePath, score_xml);
  } catch (const Error&) {
    zip_discard(archive);
    zip_source_free(buffer);
    throw;
  }
  if (zip_close(archive) < 0) {
    std::string message = zip_strerror(archive);
    zip_discard(archive);
    zip_source_free(buffer);
    throw Error("cannot write the .mxl archive (" + message + ")");
  }

  std::string bytes;
  bool ok = zip_source_open(buffer) == 0;
  if (ok) {
    ok = zip_source_seek(buffer, 0, SEEK_END) == 0;
    zip_int64_t size = ok ? zip_source_tell(buffer) : -1;
    ok = size >= 0 && zip_source_seek(buffer, 0, SEEK_SET) == 0;
    if (ok) {
      bytes.resize(static_cast<size_t>(size));
      ok = zip_source_read(buffer, bytes.data(), size) == size;
    }
    zip_source_close(buffer);
  }
  zip_source_free(buffer);
  if (!ok) throw Error("cannot read back the .mxl archive just written");
  return bytes;
}

}  // namespace dq::io
