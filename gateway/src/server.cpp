#include "server.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "aws_account.hpp"
#include "crypto.hpp"
#include "deploy/aws/aws_target.hpp"
#include "deploy/local/local_target.hpp"
#include "deploy/test_double_target.hpp"
#include "http_util.hpp"

namespace gw {

namespace {

// What the access log needs from the start of a request. httplib serves a request from start to finish
// on one pool thread, so a thread_local carries it from the pre-routing handler to the logger.
struct RequestState {
    bool active = false;
    std::chrono::steady_clock::time_point start;
    std::string user_id;
};
thread_local RequestState t_request;

bool IsApiPath(const std::string& path) { return path == "/v1" || path.rfind("/v1/", 0) == 0; }

// [TARGETS] The ONE place where deploy targets are registered with the engine, one per cloud.provider
// (local/: MakeLocalTarget, aws/: the AWS target). The test double comes last so it replaces "local".
void RegisterTargets(deploy::Engine& engine, const Config& config, Log& log, Store& store) {
    // CloudFormation in the user's account; credentials and endpoints from the standard AWS variables. A user
    // who set a deploy role (PUT /v1/account/aws) is deployed through it with their ExternalId.
    engine.RegisterFor("aws", deploy::MakeAwsTarget(GatewayAwsOptions(store)));
    deploy::LocalTargetOptions local;
    local.root = (std::filesystem::path(config.data_dir) / "local").string();
    engine.Register(deploy::MakeLocalTarget(local));
    if (config.enable_test_double_target) {
        log.Info("deploy.test_double_target",
                 {{"warning", "TESTS ONLY: --enable-test-double-target; plans on \"local\" deploy nothing"}});
        engine.RegisterFor("local", deploy::MakeTestDoubleTarget(std::filesystem::path(config.data_dir) / "test-double"));
    }
}

http::FrontOptions FrontOptionsFor(const Config& config) {
    http::FrontOptions front;
    front.framing.max_body_bytes = config.max_body_bytes;
    front.workers = config.http_workers;
    front.max_connections = static_cast<std::size_t>(config.max_connections);
    front.max_connections_per_client = static_cast<std::size_t>(config.max_connections_per_client);
    front.head_timeout_ms = config.header_timeout_seconds * 1000;
    front.body_timeout_ms = config.body_timeout_seconds * 1000;
    front.idle_timeout_ms = config.idle_timeout_seconds * 1000;
    front.write_timeout_ms = config.write_timeout_seconds * 1000;
    front.max_buffered_bytes = config.max_buffered_bytes;
    front.trusted_proxies = config.trusted_proxies;
    front.default_headers = SecurityHeaders();
    return front;
}

}  // namespace

httplib::Headers SecurityHeaders() {
    return {
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "no-referrer"},
        {"X-Frame-Options", "DENY"},
        // 'wasm-unsafe-eval' lets the page compile app.wasm without allowing JavaScript eval; no inline
        // scripts: index.html must load app.js from a file.
        {"Content-Security-Policy",
         "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
         "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
         "frame-ancestors 'none'"},
    };
}

std::unique_ptr<Gateway> Gateway::Create(const Config& config, std::string& error, GatewayOptions options) {
    if (!InitCrypto()) {
        error = "libsodium could not be initialised.";
        return nullptr;
    }
    std::error_code ec;
    std::filesystem::create_directories(config.data_dir, ec);
    if (ec) {
        error = "cannot create data dir " + config.data_dir + ": " + ec.message();
        return nullptr;
    }
    const std::string key_file = config.secret_key_file.empty()
                                     ? (std::filesystem::path(config.data_dir) / "secret.key").string()
                                     : config.secret_key_file;
    bool key_created = false;
    auto secrets = deploy::SecretBox::LoadOrCreate(key_file, key_created, error);
    if (!secrets) return nullptr;
    try {
        auto store = OpenSqliteStore(std::filesystem::path(config.data_dir) / "cloudsketch.sqlite3");
        return std::unique_ptr<Gateway>(
            new Gateway(config, std::move(options), std::move(store), std::move(*secrets), key_created, key_file));
    } catch (const std::exception& e) {
        error = e.what();
        return nullptr;
    }
}

Gateway::Gateway(const Config& config, GatewayOptions options, std::unique_ptr<Store> store, deploy::SecretBox secrets,
                 bool key_created, const std::string& key_file)
    : config_(config),
      clock_(options.clock ? options.clock : Clock(SystemNowMs)),
      log_(options.log_sink ? std::make_unique<Log>(options.log_sink) : std::make_unique<Log>()),
      store_(std::move(store)),
      engine_(std::make_unique<deploy::Engine>(
          store_->deployments(), std::move(secrets), *log_,
          deploy::EngineOptions{"", config.deploy_workers, config.deploy_lease_seconds * 1000, 500,
                                config.monitor_interval_seconds * 1000, clock_})),
      limiter_(config.login_failures_per_email, config.login_failures_per_ip, config.login_window_seconds),
      site_(config.site_dir),
      services_{config_, *store_, *log_, limiter_, site_, clock_, *engine_},
      server_(FrontOptionsFor(config)) {
    // Where the key is and whether it is new; never the key itself.
    log_->Info("deploy.secret_key", {{"file", key_file}, {"created", key_created}});
    RegisterTargets(*engine_, config_, *log_, *store_);
    if (options.register_targets) options.register_targets(*engine_);
    engine_->Start();
    Install();
}

Gateway::~Gateway() {
    Stop();
    engine_->Shutdown();
}

int Gateway::Bind() {
    port_ = server_.Bind(config_.bind, config_.port, bind_error_);
    return port_;
}

bool Gateway::Serve() {
    if (port_ < 0) return false;
    return server_.Run();
}

void Gateway::Stop() {
    server_.Stop();
}

bool Gateway::Authenticate(RouteContext& ctx) {
    auto token = BearerToken(ctx.req);
    if (!token) {
        ctx.res.set_header("WWW-Authenticate", "Bearer");
        ReplyError(ctx.res, 401, "auth.required", "Log in and send Authorization: Bearer <token>.");
        return false;
    }
    ctx.token_digest = TokenDigest(*token);
    Wipe(*token);
    auto user = store_->UserForToken(ctx.token_digest, clock_());
    if (!user) {
        ctx.res.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        ReplyError(ctx.res, 401, "auth.required", "The token is expired or revoked; log in again.");
        return false;
    }
    ctx.user_id = *user;
    t_request.user_id = *user;
    return true;
}

httplib::Server::HandlerResponse Gateway::OnError(const httplib::Request& req, httplib::Response& res) {
    // httplib calls this for every status >= 400, including the ones our routes answered themselves.
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    if (!res.has_header(kRequestIdHeader)) res.set_header(kRequestIdHeader, NewRequestId());
    switch (res.status) {
        case 404:
            ReplyError(res, 404, "not_found", "No route for " + req.method + " " + req.path + ".",
                       nlohmann::json::array({Detail("", "route.not_found", "See GET /v1/openapi.json.")}));
            break;
        case 413:
            ReplyError(res, 413, "request.too_large",
                       "The body is larger than the limit of " + std::to_string(config_.max_body_bytes) + " bytes.");
            break;
        case 500:
            ReplyError(res, 500, "internal", "Internal error; quote request id " + res.get_header_value(kRequestIdHeader) + ".");
            break;
        default:
            ReplyError(res, res.status, "request.invalid", "The request could not be handled (HTTP " +
                                                                std::to_string(res.status) + ").");
            break;
    }
    return httplib::Server::HandlerResponse::Handled;
}

void Gateway::Install() {
    server_.set_default_headers(SecurityHeaders());
    server_.set_payload_max_length(config_.max_body_bytes);
    // httplib leaves Nagle on: a response written as headers then body waited for the client's delayed
    // ACK, about 40 ms on every keep-alive request (bench/deploy_bench.mjs: idle p50 44 ms on loopback).
    server_.set_tcp_nodelay(true);

    // Every request is routed here: the front has received it whole, httplib has parsed its head, and no
    // handler is registered with httplib (its router would run a regular expression per route on the path).
    server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        Dispatch(req, res);
        return httplib::Server::HandlerResponse::Handled;
    });
    server_.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request& req, httplib::Response& res) { return OnError(req, res); }));

    server_.set_exception_handler([this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
            std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        if (!res.has_header(kRequestIdHeader)) res.set_header(kRequestIdHeader, NewRequestId());
        const std::string id = res.get_header_value(kRequestIdHeader);
        log_->Error("exception", id, req.method + " " + req.path + ": " + what);
        res.headers.erase("Location");
        ReplyError(res, 500, "internal", "Internal error; quote request id " + id + ".");
    });

    server_.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
        AccessEntry entry;
        entry.method = req.method;
        entry.path = req.path;  // httplib keeps the query string apart, so ?token=… never reaches the log
        entry.status = res.status;
        entry.request_id = res.get_header_value(kRequestIdHeader);
        entry.remote = req.remote_addr;
        if (t_request.active) {
            entry.duration_ms =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_request.start).count();
            entry.user_id = t_request.user_id;
        }
        t_request = RequestState{};
        log_->Access(entry);
    });

    server_.SetRejectionLogger([this](const http::FrontRejection& rejected) {
        AccessEntry entry;
        entry.method = rejected.method;
        entry.path = rejected.path;
        entry.status = rejected.status;
        entry.request_id = rejected.request_id;
        entry.remote = rejected.remote;
        entry.error_code = rejected.code;
        log_->Access(entry);
    });
}

void Gateway::Dispatch(const httplib::Request& req, httplib::Response& res) {
    t_request = RequestState{true, std::chrono::steady_clock::now(), {}};
    // The Request is httplib's own non-const object, handed to us as const; the front kept the body aside
    // (de-chunked, within the limit) and hands it over here.
    auto& request = const_cast<httplib::Request&>(req);
    request.body = http::EventServer::TakeCurrentBody();
    // httplib prefers brotli whenever "br" is accepted and runs it at quality 11, which costs far more than the
    // bytes it saves on API JSON; offering it only gzip keeps responses fast. Every Accept-Encoding header is
    // replaced: with only the first one rewritten, a second "br" still reached httplib (fuzz_gateway_requests).
    const auto [first, last] = request.headers.equal_range("Accept-Encoding");
    const bool gzip = std::any_of(first, last, [](const auto& h) { return h.second.find("gzip") != std::string::npos; });
    request.headers.erase(first, last);
    if (gzip) request.headers.emplace("Accept-Encoding", "gzip");
    const std::string given = req.get_header_value(kRequestIdHeader);
    res.set_header(kRequestIdHeader, IsAcceptableRequestId(given) ? given : NewRequestId());
    const bool api = IsApiPath(req.path);
    if (api) res.set_header("Cache-Control", "no-store");  // tokens and private plans

    const RouteMatch match = FindRoute(req.method, req.path);
    if (match.route != nullptr) {
        const Route& route = *match.route;
        RouteContext ctx{req, res, services_, {}, {}, {}, match.params};
        if (route.auth && !Authenticate(ctx)) return;
        if (route.json_body && !ReadJsonBody(req, res, ctx.body)) return;
        route.handler(ctx);
        return;
    }
    if (!match.allowed.empty()) {
        res.set_header("Allow", match.allowed);
        ReplyError(res, 405, "method_not_allowed", req.method + " is not allowed here; use " + match.allowed + ".");
        return;
    }
    // Everything else under GET is the web app's files; unknown API paths fall to the error handler.
    if (!api && (req.method == "GET" || req.method == "HEAD")) {
        site_.Serve(req, res);
        return;
    }
    res.status = 404;
}

}  // namespace gw
