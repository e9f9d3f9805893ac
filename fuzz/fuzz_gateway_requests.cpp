// Target: the gateway's whole request path in-process, `gw::Gateway::HandleRaw` (gateway/src/server.hpp): the
// front's framer, httplib's request parsing, routing, authentication, every handler, a real SQLite store in a
// temp folder and a tiny static site, giving the bytes one connection would receive. Input: the raw bytes of a
// connection (pipelined requests). Before it is served, three placeholders are replaced, so the fuzzer reaches
// what needs an account: `@TOKEN@` by a bearer token of the account signed up at start-up, `@PLAN@` by the id of
// one of its plans, `@DEPLOYMENT@` by the last deployment id an answer named.
//
// One gateway per process (the deploy engine's threads run beside the fuzzer, so state carries over between
// inputs); it is made again in a fresh data folder every kInputsPerGateway inputs, and the quotas in Config are
// low, so the store cannot grow without bound. No deploy target reaches anything: the "local" provider is the
// test double (Config::enable_test_double_target: it runs no PostgreSQL), and AWS has no credentials (the
// environment is emptied of them and the metadata service is off), so an AWS deployment fails at once.
//
// Properties, beyond no crash, sanitizer report or exception escaping:
//  - the answer is one well-formed HTTP/1.1 response per request served, in order, and nothing else: a status
//    line "HTTP/1.1 NNN reason" with NNN in 100..599, header lines "Name: value" (a token, no control bytes
//    in the value), an empty line, then the body: Content-Length bytes (agreeing when repeated), or chunks,
//    or none for HEAD, 1xx, 204 and 304; no response after one that says "Connection: close"; when fewer
//    answers than requests came back, the last one closes the connection; a framing refusal comes last;
//  - never a 500 (an exception reached the server's handler: a bug on the path);
//  - a body is sent as it is or gzipped (never brotli: server.cpp narrows Accept-Encoding), a gzip body inflates,
//    and a JSON body (application/json) is valid JSON;
//  - no answer or log line holds the account's password, an Argon2 hash, or the token of the account's other
//    session (never sent by any input); no answer holds the token `@TOKEN@` stands for unless the input used it.
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto.hpp"
#include "fuzz_check.hpp"
#include "http/request_framer.hpp"
#include "server.hpp"
#include "store.hpp"

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kInputsPerGateway = 20000;
constexpr std::size_t kMaxBodyBytes = 6144;  // so that 413 is within the fuzzer's reach (max_len 8192)
constexpr std::string_view kEmail = "owner@example.com";

// [HELPERS]

std::string Replace(std::string text, std::string_view from, std::string_view to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

bool Contains(std::string_view haystack, std::string_view needle) {
    return !needle.empty() && haystack.find(needle) != std::string_view::npos;
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

std::string LowerCopy(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = Lower(c);
    return out;
}

bool IsTokenChar(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

void WriteFile(const fs::path& file, const std::string& content) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
}

// The value of `"key":"…"` in a JSON answer's text (the start-up answers are small and plain).
std::string JsonString(const std::string& answer, const std::string& key) {
    const std::size_t body = answer.find("\r\n\r\n");
    if (body == std::string::npos) return "";
    const auto json = nlohmann::json::parse(answer.substr(body + 4), nullptr, false);
    if (!json.is_object() || !json.contains(key) || !json[key].is_string()) return "";
    return json[key].get<std::string>();
}

// The path segment after `prefix` in a Location header of `answer` ("" when none).
std::string LocationId(std::string_view answer, std::string_view prefix) {
    const std::string header = "\r\nLocation: " + std::string(prefix);
    std::string found;
    for (std::size_t at = answer.find(header); at != std::string_view::npos; at = answer.find(header, at + 1)) {
        const std::size_t begin = at + header.size();
        const std::size_t end = answer.find("\r\n", begin);
        found = std::string(answer.substr(begin, end - begin));
    }
    return found;
}

// Inflates a gzip body; nullopt when it is not valid gzip.
std::optional<std::string> Gunzip(std::string_view in) {
    z_stream zs{};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return std::nullopt;
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    std::string out;
    int rc = Z_OK;
    while (rc == Z_OK) {
        char buffer[16384];
        zs.next_out = reinterpret_cast<Bytef*>(buffer);
        zs.avail_out = sizeof buffer;
        rc = inflate(&zs, Z_NO_FLUSH);
        out.append(buffer, sizeof buffer - zs.avail_out);
        if (out.size() > (std::size_t{64} << 20)) rc = Z_MEM_ERROR;
        if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) rc = Z_BUF_ERROR;  // truncated
    }
    const bool ok = rc == Z_STREAM_END && zs.avail_in == 0;
    inflateEnd(&zs);
    if (!ok) return std::nullopt;
    return out;
}

// [GATEWAY] One gateway, its account and the ids the placeholders stand for.

struct Session {
    std::unique_ptr<gw::Gateway> gateway;
    std::unique_ptr<gw::Store> side;  // a second connection to the same database: mints sessions, reads plans
    std::string user_id;
    std::string token;        // what @TOKEN@ stands for; made again when an input logs it out
    std::string other_token;  // the same account's other session: no input ever sends it
    std::string plan_id;      // what @PLAN@ stands for; made again when an input deletes it
    std::string deployment_id;
};

struct World {
    fs::path root;  // mkdtemp: site/ and one data folder per gateway
    std::string password;
    std::size_t generation = 0;
    std::size_t inputs = 0;
    bool show = false;  // CS_FUZZ_SHOW=1: print each input (placeholders replaced) and its answer to stderr
    Session session;
    std::mutex log_mutex;
    std::vector<std::string> log_lines;  // of the input being served
};

World* g_world = nullptr;

std::string Post(gw::Gateway& gateway, std::string_view path, const std::string& body, std::string_view token = "") {
    std::string raw = "POST " + std::string(path) + " HTTP/1.1\r\nHost: fuzz\r\nContent-Type: application/json\r\n";
    if (!token.empty()) raw += "Authorization: Bearer " + std::string(token) + "\r\n";
    raw += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    return gateway.HandleRaw(raw);
}

void MakePlan(Session& s) {
    const std::string answer = Post(*s.gateway, "/v1/plan/", R"({"name":"fuzz"})", s.token);
    if (std::string id = LocationId(answer, "/v1/plan/"); !id.empty()) s.plan_id = id;
}

void MakeToken(Session& s) {
    s.token = gw::NewToken();
    const gw::TimeMs now = gw::SystemNowMs();
    s.side->AddToken(gw::TokenDigest(s.token), s.user_id, now, now + 3600 * 1000);
}

void StartGateway(World& w) {
    const fs::path data = w.root / ("data-" + std::to_string(w.generation++));
    gw::Config config;
    config.port = 0;
    config.data_dir = data.string();
    config.site_dir = (w.root / "site").string();
    config.max_body_bytes = kMaxBodyBytes;
    config.http_workers = 1;
    config.deploy_workers = 1;
    config.enable_test_double_target = true;  // "local" deploys nothing; the real local target would run PostgreSQL
    config.default_provider = "local";
    config.max_plans_per_user = 12;
    config.max_active_jobs_per_user = 3;
    config.max_local_servers_per_user = 6;
    config.max_components_per_plan = 20;
    config.signups_per_network_per_hour = 3;  // each sign-up costs an Argon2id hash
    const std::string invalid = gw::ValidateConfig(config);
    if (!invalid.empty()) {
        std::fprintf(stderr, "fuzz_gateway_requests: config: %s\n", invalid.c_str());
        std::abort();
    }
    gw::GatewayOptions options;
    options.log_sink = [&w](const std::string& line) {
        std::lock_guard lock(w.log_mutex);
        if (w.log_lines.size() < 1000) w.log_lines.push_back(line);
    };
    std::string error;
    Session s;
    s.gateway = gw::Gateway::Create(config, error, options);
    if (!s.gateway) {
        std::fprintf(stderr, "fuzz_gateway_requests: gateway: %s\n", error.c_str());
        std::abort();
    }
    // The first account of a gateway without mail is made at once (201), through the request path itself.
    const std::string credentials =
        nlohmann::json{{"email", kEmail}, {"password", w.password}}.dump();
    const std::string signup = Post(*s.gateway, "/v1/auth/signup", credentials);
    s.token = JsonString(signup, "token");
    const std::string login = Post(*s.gateway, "/v1/auth/login", credentials);
    s.other_token = JsonString(login, "token");
    if (s.token.empty() || s.other_token.empty()) {
        std::fprintf(stderr, "fuzz_gateway_requests: sign-up or log-in failed:\n%s\n%s\n", signup.c_str(),
                     login.c_str());
        std::abort();
    }
    s.side = gw::OpenSqliteStore(data / "cloudsketch.sqlite3");
    s.user_id = s.side->UserForToken(gw::TokenDigest(s.token), gw::SystemNowMs()).value_or("");
    MakePlan(s);
    if (s.user_id.empty() || s.plan_id.empty()) {
        std::fprintf(stderr, "fuzz_gateway_requests: no user or plan at start-up\n");
        std::abort();
    }
    w.session = std::move(s);
    std::lock_guard lock(w.log_mutex);
    w.log_lines.clear();
}

void StopGateway(World& w) {
    const std::string data = w.session.gateway ? w.session.gateway->config().data_dir : "";
    w.session.side.reset();
    w.session.gateway.reset();  // stops the deploy engine and the mail queue
    w.session = Session{};
    std::error_code ec;
    if (!data.empty()) fs::remove_all(data, ec);
}

void AtExit() {
    if (g_world == nullptr) return;
    StopGateway(*g_world);
    std::error_code ec;
    fs::remove_all(g_world->root, ec);
}

// After an input: the placeholders still stand for a live session and an existing plan.
void Restore(Session& s, std::string_view answer) {
    if (std::string id = LocationId(answer, "/v1/deployments/"); !id.empty()) s.deployment_id = id;
    if (std::string id = LocationId(answer, "/v1/plan/"); !id.empty()) s.plan_id = id;
    if (!Contains(answer, "HTTP/1.1 204 ")) return;  // log-outs and deletions answer 204
    const gw::TimeMs now = gw::SystemNowMs();
    if (!s.side->UserForToken(gw::TokenDigest(s.token), now)) MakeToken(s);
    if (!s.side->GetPlan(s.user_id, s.plan_id)) MakePlan(s);
}

// [CHECKS]

// What the connection sent, as the front frames it: the method of each request served (up to the first that
// closes the connection), and the refusal that ends it, if any.
struct Expected {
    std::vector<std::string> methods;
    std::optional<int> refusal;
};

Expected Frame(std::string_view raw) {
    gw::http::FramerLimits limits;
    limits.max_body_bytes = kMaxBodyBytes;
    gw::http::RequestFramer framer(limits);
    framer.Append(raw);
    Expected e;
    while (true) {
        const auto status = framer.Advance();
        if (status == gw::http::RequestFramer::Status::Error) {
            e.refusal = framer.error().status;
            break;
        }
        if (status != gw::http::RequestFramer::Status::Complete) break;
        const gw::http::FramedRequest request = framer.TakeRequest();
        e.methods.push_back(request.method);
        if (request.close) break;
    }
    return e;
}

struct Response {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;  // name lowercased
    std::string body;                                           // as sent (before Content-Encoding)

    std::vector<std::string> Values(std::string_view name) const {
        std::vector<std::string> values;
        for (const auto& [n, v] : headers) {
            if (n == name) values.push_back(v);
        }
        return values;
    }
    std::string Value(std::string_view name) const {
        auto values = Values(name);
        return values.empty() ? "" : values.front();
    }
};

// Reads one response from `out` at `at` (advanced past it); `head_only`: the answer to a HEAD request.
Response ReadResponse(std::string_view out, std::size_t& at, bool head_only) {
    Response r;
    const std::string_view prefix = "HTTP/1.1 ";
    FUZZ_CHECK(out.substr(at, prefix.size()) == prefix);
    FUZZ_CHECK(out.size() >= at + prefix.size() + 4);
    const std::string_view code = out.substr(at + prefix.size(), 3);
    for (char c : code) FUZZ_CHECK(c >= '0' && c <= '9');
    FUZZ_CHECK(out[at + prefix.size() + 3] == ' ');
    r.status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
    FUZZ_CHECK(r.status >= 100 && r.status <= 599);
    const std::size_t head_end = out.find("\r\n\r\n", at);
    FUZZ_CHECK(head_end != std::string_view::npos);
    std::size_t line_at = out.find("\r\n", at) + 2;  // past the status line
    for (unsigned char c : out.substr(at, line_at - 2 - at)) FUZZ_CHECK(c >= 0x20 && c != 0x7f);
    while (line_at < head_end + 2) {
        const std::size_t line_end = out.find("\r\n", line_at);
        const std::string_view line = out.substr(line_at, line_end - line_at);
        const std::size_t colon = line.find(':');
        FUZZ_CHECK(colon != std::string_view::npos && colon > 0);
        for (unsigned char c : line.substr(0, colon)) FUZZ_CHECK(IsTokenChar(c));
        std::string_view value = line.substr(colon + 1);
        for (unsigned char c : value) FUZZ_CHECK(c == '\t' || (c >= 0x20 && c != 0x7f));
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        r.headers.emplace_back(LowerCopy(line.substr(0, colon)), std::string(value));
        line_at = line_end + 2;
    }
    at = head_end + 4;

    const auto lengths = r.Values("content-length");
    const bool chunked = Contains(LowerCopy(r.Value("transfer-encoding")), "chunked");
    FUZZ_CHECK(!(chunked && !lengths.empty()));
    std::optional<std::size_t> length;
    for (const std::string& v : lengths) {
        FUZZ_CHECK(!v.empty() && v.size() <= 12 && v.find_first_not_of("0123456789") == std::string::npos);
        const std::size_t n = std::stoull(v);
        FUZZ_CHECK(!length || *length == n);  // repeated Content-Lengths agree
        length = n;
    }
    if (head_only || r.status < 200 || r.status == 204 || r.status == 304) return r;
    if (chunked) {
        while (true) {
            const std::size_t line_end = out.find("\r\n", at);
            FUZZ_CHECK(line_end != std::string_view::npos);
            const std::string size_text(out.substr(at, std::min(out.find(';', at), line_end) - at));
            FUZZ_CHECK(!size_text.empty() && size_text.size() <= 8 &&
                       size_text.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos);
            const std::size_t size = std::stoull(size_text, nullptr, 16);
            at = line_end + 2;
            if (size == 0) break;
            FUZZ_CHECK(out.size() >= at + size + 2 && out.substr(at + size, 2) == "\r\n");
            r.body.append(out.substr(at, size));
            at += size + 2;
        }
        const std::size_t trailer_end = out.find("\r\n\r\n", at - 2);
        FUZZ_CHECK(trailer_end != std::string_view::npos);
        at = trailer_end + 4;
        return r;
    }
    FUZZ_CHECK(length.has_value());  // a body needs its length: the connection is not closed to end it
    FUZZ_CHECK(out.size() - at >= *length);
    r.body = std::string(out.substr(at, *length));
    at += *length;
    return r;
}

// Whether `text` holds `secret`, searched in a masked copy: libFuzzer learns the operands of every comparison
// (memcmp, memmem and the instrumented code's compares) and puts them into its inputs, so a plain search would
// teach it the very secret it must never see. It learns the masked bytes, which mean nothing unmasked.
bool HoldsSecret(std::string_view text, std::string_view secret) {
    constexpr char kMask = static_cast<char>(0xa5);
    std::string masked_text(text), masked_secret(secret);
    for (char& c : masked_text) c ^= kMask;
    for (char& c : masked_secret) c ^= kMask;
    return Contains(masked_text, masked_secret);
}

void CheckSecrets(const World& w, std::string_view text, bool input_used_token) {
    FUZZ_CHECK(!HoldsSecret(text, w.password));
    FUZZ_CHECK(!HoldsSecret(text, w.session.other_token));
    FUZZ_CHECK(!Contains(text, "$argon2"));
    if (!input_used_token) FUZZ_CHECK(!HoldsSecret(text, w.session.token));
}

void CheckAnswer(const World& w, std::string_view raw, std::string_view out, bool input_used_token) {
    const Expected expected = Frame(raw);
    const std::size_t wanted = expected.methods.size() + (expected.refusal ? 1 : 0);
    std::size_t at = 0;
    std::size_t count = 0;
    bool closed = false;
    while (at < out.size()) {
        FUZZ_CHECK(!closed);       // nothing after a response that closed the connection
        FUZZ_CHECK(count < wanted);  // never more answers than requests
        const bool refusal = count == expected.methods.size();
        const bool head = !refusal && expected.methods[count] == "HEAD";
        const std::size_t start = at;
        Response r = ReadResponse(out, at, head);
        ++count;
        FUZZ_CHECK(r.status != 500);
        if (refusal) FUZZ_CHECK(r.status == *expected.refusal);
        closed = LowerCopy(r.Value("connection")) == "close";
        CheckSecrets(w, out.substr(start, at - start), input_used_token);
        std::string body = r.body;
        const std::string encoding = LowerCopy(r.Value("content-encoding"));
        FUZZ_CHECK(encoding.empty() || encoding == "gzip");  // the gateway offers httplib nothing else
        if (!body.empty() && encoding == "gzip") {
            auto inflated = Gunzip(body);
            FUZZ_CHECK(inflated.has_value());
            body = std::move(*inflated);
            CheckSecrets(w, body, input_used_token);
        }
        const std::string type = LowerCopy(r.Value("content-type"));
        if (!body.empty() && type.rfind("application/json", 0) == 0) {
            FUZZ_CHECK(nlohmann::json::accept(body));
        }
    }
    FUZZ_CHECK(count > 0 || wanted == 0);
    // Fewer answers than requests: the last one said it closes the connection (a refusal always closes).
    if (count < wanted) FUZZ_CHECK(closed);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    // No AWS credentials from anywhere, no metadata service: an AWS deployment fails without leaving the host.
    for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                             "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                             "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_ENDPOINT_URL", "CS_SMTP_USERNAME",
                             "CS_SMTP_PASSWORD"}) {
        unsetenv(name);
    }
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    setenv("AWS_CONFIG_FILE", "/nonexistent/aws-config", 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials", 1);
    setenv("AWS_REGION", "eu-west-1", 1);

    static World world;
    char dir[] = "/tmp/cs-fuzz-gateway-XXXXXX";
    if (mkdtemp(dir) == nullptr) {
        std::perror("mkdtemp");
        std::abort();
    }
    world.root = dir;
    const fs::path site = world.root / "site";
    WriteFile(site / "index.html", "<!doctype html><title>CloudSketch</title><script src=app.js></script>\n");
    WriteFile(site / "app.js", std::string(3000, ' ') + "console.log('cloudsketch');\n");
    WriteFile(site / "app.wasm", std::string("\0asm\1\0\0\0", 8) + std::string(3000, '\0'));
    WriteFile(site / "assets" / "logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>");
    if (!gw::InitCrypto()) std::abort();
    world.password = "pw-" + gw::NewToken();  // random: no input can hold it
    world.show = std::getenv("CS_FUZZ_SHOW") != nullptr;
    g_world = &world;
    StartGateway(world);
    std::atexit(AtExit);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    World& w = *g_world;
    if (++w.inputs % kInputsPerGateway == 0) {
        StopGateway(w);
        StartGateway(w);
    }
    Session& s = w.session;
    std::string raw(reinterpret_cast<const char*>(data), size);
    raw = Replace(std::move(raw), "@TOKEN@", s.token);
    raw = Replace(std::move(raw), "@PLAN@", s.plan_id);
    raw = Replace(std::move(raw), "@DEPLOYMENT@", s.deployment_id.empty() ? "d_none" : s.deployment_id);
    // An answer may echo what the client sent (a path in a 404's message): only a secret the input did not
    // hold is a leak. The password and the other session's token are out of the fuzzer's reach (HoldsSecret).
    const bool uses_token = HoldsSecret(raw, s.token);

    const std::string out = s.gateway->HandleRaw(raw);
    if (w.show) std::fprintf(stderr, "---- request\n%s\n---- answer\n%s\n----\n", raw.c_str(), out.c_str());

    CheckAnswer(w, raw, out, uses_token);
    {
        std::lock_guard lock(w.log_mutex);
        for (const std::string& line : w.log_lines) {
            FUZZ_CHECK(!HoldsSecret(line, w.password));
            FUZZ_CHECK(!HoldsSecret(line, s.other_token));
            FUZZ_CHECK(!Contains(line, "$argon2"));
        }
        w.log_lines.clear();
    }
    Restore(s, out);
    return 0;
}
