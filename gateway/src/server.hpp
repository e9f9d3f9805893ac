#pragma once
// The gateway: the connection front (http/event_server.hpp, an httplib::Server underneath) wired to the
// route table, the static site, the store, one error handler, one exception handler and one access logger.
// main.cpp and the tests drive it the same way: Create -> Bind -> Serve (blocking, on any thread) -> Stop
// (from any thread).
#include <atomic>
#include <memory>
#include <string>

#include <httplib.h>

#include "clock.hpp"
#include "config.hpp"
#include "deploy/engine.hpp"
#include "http/event_server.hpp"
#include "log.hpp"
#include "rate_limiter.hpp"
#include "routes.hpp"
#include "static_site.hpp"
#include "store.hpp"

namespace gw {

struct GatewayOptions {
    Log::Sink log_sink;          // empty: JSON lines to stderr
    Clock clock = SystemNowMs;   // tests substitute a clock they can move
    // Called with the deploy engine after the configured targets are registered and before it starts:
    // tests register their FakeTargetTestDouble here.
    std::function<void(deploy::Engine&)> register_targets;
};

class Gateway {
public:
    // Creates the data dir if needed and opens the SQLite store in it. On failure returns nullptr and
    // sets `error` to a sentence for the operator.
    static std::unique_ptr<Gateway> Create(const Config& config, std::string& error, GatewayOptions options = {});
    ~Gateway();
    Gateway(const Gateway&) = delete;
    Gateway& operator=(const Gateway&) = delete;

    // Binds config.bind:config.port (port 0: any free port). Returns the bound port, or -1 with bind_error()
    // saying why (a port already in use is refused, never shared).
    int Bind();
    const std::string& bind_error() const { return bind_error_; }
    // Serves until Stop(); returns false when it could not serve (e.g. not bound).
    bool Serve();
    // Stops Serve(): stops accepting, lets requests being served finish; safe from any thread.
    void Stop();
    http::FrontStats front_stats() const { return server_.Stats(); }
    // The whole request path (framing, routing, handlers, response) for raw bytes, without sockets: what a
    // connection sending `raw` would receive. For fuzzing (fuzz/fuzz_gateway_requests.cpp) and tests.
    std::string HandleRaw(std::string_view raw) { return server_.ServeBuffered(raw); }

    int port() const { return port_; }
    const Config& config() const { return config_; }
    Log& log() { return *log_; }
    deploy::Engine& engine() { return *engine_; }

private:
    Gateway(const Config& config, GatewayOptions options, std::unique_ptr<Store> store, deploy::SecretBox secrets,
            bool key_created, const std::string& key_file);
    void Install();
    bool Authenticate(RouteContext& ctx);
    void Dispatch(const httplib::Request& req, httplib::Response& res);
    httplib::Server::HandlerResponse OnError(const httplib::Request& req, httplib::Response& res);

    Config config_;
    Clock clock_;
    std::unique_ptr<Log> log_;
    std::unique_ptr<Store> store_;
    std::unique_ptr<deploy::Engine> engine_;  // after store_: stopped (destroyed) before the store closes
    LoginRateLimiter limiter_;
    StaticSite site_;
    Services services_;
    http::EventServer server_;
    int port_ = -1;
    std::string bind_error_;
};

// The headers every response carries (nosniff, no referrer, a CSP that lets the wasm app run).
httplib::Headers SecurityHeaders();

}  // namespace gw
