#pragma once
// RAII libcurl client for AWS endpoints: one CURL easy handle per client (so connections are reused),
// TLS verification always on, connect and total timeouts, and the AWS standard retry mode. Never throws.
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "aws/http_types.hpp"
#include "aws/result.hpp"
#include "aws/retry.hpp"

namespace gw::aws {

struct HttpClientOptions {
    std::chrono::milliseconds connect_timeout{3000};
    std::chrono::milliseconds total_timeout{30000};          // per attempt
    RetryPolicy retry;
    std::string ca_bundle;                                   // PEM file; empty: the system store
    std::string proxy;                                       // "" = direct: environment proxies are ignored
    std::size_t max_response_bytes = 16u << 20;              // larger bodies fail (non-retryable)
    std::function<void(std::chrono::milliseconds)> sleep;   // default: std::this_thread::sleep_for
    std::function<double()> random;                          // in [0,1); default: a seeded std::mt19937_64
};

class HttpClient {
public:
    explicit HttpClient(HttpClientOptions options = {});
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Sends request.url_base + request.Target() with retries. A 2xx/3xx response is returned as is;
    // anything else becomes an AwsError (parsed from the body for HTTP errors). Calls are serialised on
    // the one connection; use one client per thread for parallel calls.
    Result<HttpResponse> Send(const HttpRequest& request);

    // The same, but builds the request before every attempt, so each attempt can be signed afresh.
    // A build failure ends the call with that error.
    using RequestFactory = std::function<Result<HttpRequest>()>;
    Result<HttpResponse> Send(const RequestFactory& make_request);

    // One attempt, no retry: any HTTP response (also 4xx/5xx) is a value; only transport failures are errors.
    Result<HttpResponse> SendOnce(const HttpRequest& request);

    const RetryQuota& quota() const { return quota_; }

private:
    HttpClientOptions options_;
    RetryQuota quota_;
    std::mutex mu_;        // guards curl_: a CURL handle is not thread-safe
    void* curl_ = nullptr; // CURL*; void keeps curl.h out of this header
};

}  // namespace gw::aws
