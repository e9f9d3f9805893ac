// The web app's files: MIME types, ETag/304, Cache-Control, gzip, path traversal, a missing build.
#include "gateway_fixture.hpp"

#include <zlib.h>

namespace gw::test {
namespace {

std::string Gunzip(const std::string& data) {
    z_stream z{};
    inflateInit2(&z, 15 + 16);
    std::string out(1 << 20, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&z, Z_FINISH);
    out.resize(z.total_out);
    inflateEnd(&z);
    return rc == Z_STREAM_END ? out : "<corrupt>";
}

TEST_F(GatewayTest, ServesTheSiteWithMimeTypes) {
    struct Case {
        std::string path, type;
    };
    for (const Case& c : {Case{"/", "text/html; charset=utf-8"}, Case{"/index.html", "text/html; charset=utf-8"},
                          Case{"/app.js", "application/javascript"}, Case{"/app.wasm", "application/wasm"},
                          Case{"/assets/logo.svg", "image/svg+xml"}}) {
        auto r = Get(c.path);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 200) << c.path;
        EXPECT_EQ(r->get_header_value("Content-Type"), c.type) << c.path;
        EXPECT_FALSE(r->get_header_value("ETag").empty()) << c.path;
    }
    EXPECT_NE(Get("/")->body.find("CloudSketch"), std::string::npos);
    EXPECT_EQ(Get("/app.wasm")->body.substr(0, 4), std::string("\0asm", 4));
    EXPECT_EQ(Get("/")->get_header_value("Cache-Control"), "no-cache");
    EXPECT_NE(Get("/app.js")->get_header_value("Cache-Control").find("must-revalidate"), std::string::npos);
    EXPECT_EQ(Get("/missing.js")->status, 404);
}

TEST_F(GatewayTest, EtagGives304) {
    auto first = Get("/app.wasm");
    ASSERT_TRUE(first);
    const std::string etag = first->get_header_value("ETag");
    auto client = Client();
    auto again = client.Get("/app.wasm", {{"If-None-Match", etag}});
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 304);
    EXPECT_TRUE(again->body.empty());
    EXPECT_EQ(again->get_header_value("ETag"), etag);
    auto other = client.Get("/app.wasm", {{"If-None-Match", "W/\"0000000000000000\""}});
    EXPECT_EQ(other->status, 200);
    // A rebuilt file is served fresh, under a new tag.
    const std::string old_tag = Get("/app.js")->get_header_value("ETag");
    WriteFile(site_dir_ / "app.js", "console.log('rebuilt');\n");
    auto changed = Get("/app.js");
    EXPECT_EQ(changed->body, "console.log('rebuilt');\n");
    EXPECT_NE(changed->get_header_value("ETag"), old_tag);
}

TEST_F(GatewayTest, GzipWhenAccepted) {
    auto client = Client();
    client.set_decompress(false);
    auto wasm = client.Get("/app.wasm", {{"Accept-Encoding", "gzip"}});
    ASSERT_TRUE(wasm);
    EXPECT_EQ(wasm->get_header_value("Content-Encoding"), "gzip");
    EXPECT_EQ(wasm->get_header_value("Content-Type"), "application/wasm");
    EXPECT_LT(wasm->body.size(), 2000u);
    EXPECT_EQ(Gunzip(wasm->body), Get("/app.wasm")->body);
    auto js = client.Get("/app.js", {{"Accept-Encoding", "gzip"}});
    ASSERT_TRUE(js);
    EXPECT_EQ(js->get_header_value("Content-Encoding"), "gzip");
    EXPECT_NE(Gunzip(js->body).find("cloudsketch"), std::string::npos);
    // Brotli is not offered (httplib runs it at quality 11 on every response); gzip is, from the cache.
    auto br = client.Get("/app.js", {{"Accept-Encoding", "br, gzip, deflate"}});
    ASSERT_TRUE(br);
    EXPECT_EQ(br->get_header_value("Content-Encoding"), "gzip");
    EXPECT_EQ(Gunzip(br->body), Gunzip(js->body));
    auto api = client.Get("/v1/openapi.json", {{"Accept-Encoding", "br, gzip"}});
    ASSERT_TRUE(api);
    EXPECT_EQ(api->get_header_value("Content-Encoding"), "gzip");
    EXPECT_TRUE(json::parse(Gunzip(api->body), nullptr, false).is_object());
    auto plain = client.Get("/app.wasm", {{"Accept-Encoding", "identity"}});
    EXPECT_TRUE(plain->get_header_value("Content-Encoding").empty());
    EXPECT_EQ(plain->body.size(), 20008u);
}

TEST_F(GatewayTest, PathTraversalIsRefused) {
    auto client = Client();
    for (const char* path : {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/../../secret.txt", "/..%2fsecret.txt",
                             "/assets/%2e%2e/%2e%2e/secret.txt", "/.hidden", "/..\\secret.txt"}) {
        auto r = client.Get(path);
        ASSERT_TRUE(r) << path;
        EXPECT_EQ(r->status, 404) << path;
        EXPECT_EQ(r->body.find("outside the site"), std::string::npos) << path;
    }
    // A symlink inside the site that leads out is refused too.
    std::filesystem::create_symlink(data_.path() / "secret.txt", site_dir_ / "link.txt");
    EXPECT_EQ(Get("/link.txt")->status, 404);
}

class NoSiteTest : public GatewayTest {
protected:
    void Configure(Config& config) override { config.site_dir = (data_.path() / "not-built").string(); }
};

TEST_F(NoSiteTest, RootExplainsHowToBuildTheWebApp) {
    auto r = Get("/");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 503);
    EXPECT_EQ(Body(r)["error"]["code"], "site.not_built");
    EXPECT_NE(r->body.find("--site-dir"), std::string::npos);
    EXPECT_EQ(Get("/healthz")->status, 200);  // the API still works
}

}  // namespace
}  // namespace gw::test
