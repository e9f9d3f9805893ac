#include "static_site.hpp"

#include <sodium.h>
#include <zlib.h>

#include <fstream>
#include <sstream>

#include "http_util.hpp"

namespace gw {

namespace fs = std::filesystem;

namespace {

// gzip (not raw deflate) framing: windowBits 15 + 16. Level 9: done once per file version, then cached.
std::string Gzip(const std::string& input) {
    z_stream z{};
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
    std::string out(deflateBound(&z, input.size()), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    z.avail_in = static_cast<uInt>(input.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return rc == Z_STREAM_END ? out : std::string();
}

std::string Etag(const std::string& body) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(body.data()), body.size());
    char hex[17];
    sodium_bin2hex(hex, sizeof hex, digest, 8);
    return std::string("W/\"") + hex + "\"";
}

// Worth compressing: text and the big binary parts of the web app (wasm, preloaded .data, fonts).
bool Compressible(const std::string& mime) {
    return mime.rfind("text/", 0) == 0 || mime == "application/javascript" || mime == "application/json" ||
           mime == "image/svg+xml" || mime == "application/wasm" || mime == "application/octet-stream" ||
           mime == "font/ttf" || mime == "font/otf";
}

bool AcceptsGzip(const httplib::Request& req) {
    std::stringstream list(req.get_header_value("Accept-Encoding"));
    for (std::string item; std::getline(list, item, ',');) {
        item.erase(0, item.find_first_not_of(' '));
        const auto semicolon = item.find(';');
        std::string name = item.substr(0, semicolon);
        name.erase(name.find_last_not_of(' ') + 1);
        if (name != "gzip" && name != "*") continue;
        if (semicolon != std::string::npos) {
            const auto q = item.find("q=", semicolon);
            if (q != std::string::npos && std::strtod(item.c_str() + q + 2, nullptr) == 0.0) continue;
        }
        return true;
    }
    return false;
}

// If-None-Match is a list of (possibly weak) tags or "*"; weak comparison ignores the W/ prefix.
bool EtagMatches(const std::string& header, const std::string& etag) {
    if (header.empty()) return false;
    auto strip = [](std::string tag) {
        tag.erase(0, tag.find_first_not_of(' '));
        tag.erase(tag.find_last_not_of(' ') + 1);
        if (tag.rfind("W/", 0) == 0) tag.erase(0, 2);
        return tag;
    };
    const std::string mine = strip(etag);
    std::stringstream list(header);
    for (std::string item; std::getline(list, item, ',');) {
        const std::string tag = strip(item);
        if (tag == "*" || tag == mine) return true;
    }
    return false;
}

}  // namespace

StaticSite::StaticSite(fs::path root) : root_(std::move(root)) {}

bool StaticSite::HasIndex() const {
    std::error_code ec;
    return fs::is_regular_file(root_ / "index.html", ec);
}

std::string StaticSite::MimeType(const fs::path& file) {
    static const std::map<std::string, std::string> kTypes = {
        {".html", "text/html; charset=utf-8"}, {".js", "application/javascript"},
        {".mjs", "application/javascript"},    {".wasm", "application/wasm"},
        {".css", "text/css"},                  {".json", "application/json"},
        {".map", "application/json"},          {".svg", "image/svg+xml"},
        {".png", "image/png"},                 {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},               {".gif", "image/gif"},
        {".ico", "image/x-icon"},              {".webp", "image/webp"},
        {".txt", "text/plain; charset=utf-8"}, {".ttf", "font/ttf"},
        {".otf", "font/otf"},                  {".woff", "font/woff"},
        {".woff2", "font/woff2"},              {".data", "application/octet-stream"},
    };
    auto it = kTypes.find(file.extension().string());
    return it == kTypes.end() ? "application/octet-stream" : it->second;
}

std::optional<fs::path> StaticSite::Resolve(const std::string& url_path) const {
    if (url_path.empty() || url_path.front() != '/') return std::nullopt;
    if (url_path.find('\0') != std::string::npos || url_path.find('\\') != std::string::npos) return std::nullopt;
    fs::path relative;
    std::stringstream segments(url_path.substr(1));
    for (std::string segment; std::getline(segments, segment, '/');) {
        if (segment.empty()) continue;
        if (segment.front() == '.') return std::nullopt;  // "..", ".", and hidden files such as .git
        relative /= segment;
    }
    std::error_code ec;
    fs::path file = root_ / relative;
    if (relative.empty() || fs::is_directory(file, ec)) file /= "index.html";
    // Symlinks inside the folder may point anywhere: compare real paths, not spellings.
    const fs::path real_root = fs::canonical(root_, ec);
    if (ec) return std::nullopt;
    const fs::path real = fs::canonical(file, ec);
    if (ec || !fs::is_regular_file(real, ec)) return std::nullopt;
    auto [root_end, unused] = std::mismatch(real_root.begin(), real_root.end(), real.begin(), real.end());
    if (root_end != real_root.end()) return std::nullopt;
    return real;
}

std::shared_ptr<const StaticSite::Entry> StaticSite::Load(const fs::path& file) {
    std::error_code ec;
    const auto mtime = fs::last_write_time(file, ec);
    const auto size = fs::file_size(file, ec);
    if (ec) return nullptr;
    {
        std::lock_guard lock(mutex_);
        auto it = cache_.find(file.string());
        if (it != cache_.end() && it->second->mtime == mtime && it->second->size == size) return it->second;
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) return nullptr;
    auto entry = std::make_shared<Entry>();
    std::stringstream content;
    content << in.rdbuf();
    entry->body = content.str();
    entry->mime = MimeType(file);
    entry->etag = Etag(entry->body);
    entry->mtime = mtime;
    entry->size = size;
    if (Compressible(entry->mime)) {
        entry->gzip_body = Gzip(entry->body);
        if (entry->gzip_body.size() >= entry->body.size()) entry->gzip_body.clear();  // not worth it
    }
    std::lock_guard lock(mutex_);
    cache_[file.string()] = entry;
    return entry;
}

void StaticSite::Serve(const httplib::Request& req, httplib::Response& res) {
    if ((req.path == "/" || req.path == "/index.html") && !HasIndex()) {
        ReplyError(res, 503, "site.not_built",
                   "The web app is not built: build it (cmake --preset web && cmake --build --preset web) and "
                   "start the gateway with --site-dir pointing at the folder holding index.html, app.js and "
                   "app.wasm (default ./build/web/site).");
        return;
    }
    const auto file = Resolve(req.path);
    const auto entry = file ? Load(*file) : nullptr;
    if (!entry) {
        ReplyError(res, 404, "not_found", "No such file.");
        return;
    }
    const bool is_index = file->filename() == "index.html";
    // index.html names the other files, so it must always be revalidated; the rest are revalidated too
    // (their names carry no content hash, and app.js must match app.wasm); an ETag makes that cheap.
    res.set_header("Cache-Control", is_index ? "no-cache" : "public, max-age=0, must-revalidate");
    res.set_header("ETag", entry->etag);
    res.set_header("Vary", "Accept-Encoding");
    if (EtagMatches(req.get_header_value("If-None-Match"), entry->etag)) {
        res.status = 304;
        return;
    }
    res.status = 200;
    const bool gzip = !entry->gzip_body.empty() && AcceptsGzip(req);
    // httplib would compress text types again on every request (brotli at quality 11 takes ~0.5 s for
    // app.js here). The cached gzip is the answer, so hide Accept-Encoding from httplib's writer. The
    // Request is httplib's own non-const object, passed to handlers as const.
    const_cast<httplib::Request&>(req).headers.erase("Accept-Encoding");
    if (gzip) {
        res.set_header("Content-Encoding", "gzip");
        res.set_content(entry->gzip_body, entry->mime.c_str());
    } else {
        res.set_content(entry->body, entry->mime.c_str());
    }
}

}  // namespace gw
