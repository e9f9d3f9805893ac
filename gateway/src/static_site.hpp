#pragma once
// The web app's files (index.html, app.js, app.wasm, assets/…) served from one folder: MIME types,
// ETag + If-None-Match -> 304, Cache-Control, gzip, and no way out of the folder.
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <httplib.h>

namespace gw {

class StaticSite {
public:
    explicit StaticSite(std::filesystem::path root);

    // True when the folder has an index.html (otherwise "/" answers 503 explaining how to build it).
    bool HasIndex() const;

    // Answers a GET/HEAD for req.path: 200 with the file, 304 when If-None-Match matches, 404 for
    // anything missing or outside the folder (including "..", hidden files, symlinks leading out),
    // 503 for "/" without index.html.
    void Serve(const httplib::Request& req, httplib::Response& res);

    // The MIME type served for a file name, by extension ("application/octet-stream" if unknown).
    static std::string MimeType(const std::filesystem::path& file);

private:
    // A file as served: read once, re-read when its size or modification time changes.
    struct Entry {
        std::string body;
        std::string gzip_body;  // compressed once per file version; empty when not worth it
        std::string etag;       // W/"<first 16 hex of SHA-256>"
        std::string mime;
        std::filesystem::file_time_type mtime;
        std::uintmax_t size = 0;
    };
    std::shared_ptr<const Entry> Load(const std::filesystem::path& file);
    std::optional<std::filesystem::path> Resolve(const std::string& url_path) const;

    std::filesystem::path root_;
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<const Entry>> cache_;
};

}  // namespace gw
