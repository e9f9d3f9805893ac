#include "aws/http_client.hpp"

#include <curl/curl.h>

#include <random>
#include <thread>

#include "aws/aws_error.hpp"

namespace gw::aws {
namespace {

struct Transfer {
    HttpResponse response;
    std::size_t max_bytes = 0;
    bool too_large = false;
};

std::size_t OnBody(char* data, std::size_t size, std::size_t n, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const std::size_t bytes = size * n;
    if (t->response.body.size() + bytes > t->max_bytes) {
        t->too_large = true;
        return 0;  // aborts the transfer with CURLE_WRITE_ERROR
    }
    t->response.body.append(data, bytes);
    return bytes;
}

std::size_t OnHeader(char* data, std::size_t size, std::size_t n, void* user) {
    auto* t = static_cast<Transfer*>(user);
    std::string_view line(data, size * n);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
    if (line.starts_with("HTTP/")) {
        t->response.headers.clear();  // a new response begins (e.g. after "100 Continue")
    } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        t->response.headers.push_back({ToLower(line.substr(0, colon)), std::string(value)});
    }
    return size * n;
}

// Which curl failures are worth another attempt: the network, not the request or TLS trust.
AwsError TransportError(CURLcode code, const char* detail) {
    const std::string message = std::string(curl_easy_strerror(code)) + (detail[0] ? std::string(": ") + detail : "");
    switch (code) {
        case CURLE_OPERATION_TIMEDOUT:
            return MakeError(kErrTimeout, message, true);
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_CONNECT:
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
            return MakeError(kErrNetwork, message, true);
        default:
            return MakeError(kErrNetwork, message, false);
    }
}

struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

HttpClient::HttpClient(HttpClientOptions options) : options_(std::move(options)), quota_(options_.retry) {
    static std::once_flag global_init;
    std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    curl_ = curl_easy_init();
    if (!options_.sleep) options_.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
    if (!options_.random) {
        auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
        options_.random = [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
    }
}

HttpClient::~HttpClient() {
    if (curl_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

Result<HttpResponse> HttpClient::SendOnce(const HttpRequest& request) {
    if (curl_ == nullptr) return MakeError(kErrNetwork, "curl_easy_init failed");
    std::lock_guard lock(mu_);
    CURL* c = static_cast<CURL*>(curl_);
    curl_easy_reset(c);  // clears options, keeps the connection cache: the next call reuses the connection

    Transfer t;
    t.max_bytes = options_.max_response_bytes;
    char error_detail[CURL_ERROR_SIZE] = "";
    const std::string url = request.url_base + request.Target();

    std::unique_ptr<curl_slist, SlistDeleter> headers;
    auto add_header = [&](const std::string& line) { headers.reset(curl_slist_append(headers.release(), line.c_str())); };
    for (const auto& h : request.headers) add_header(h.name + ": " + h.value);
    add_header("Expect:");  // no 100-continue round trip before bodies
    if (request.FindHeader("content-type") == nullptr) add_header("Content-Type:");  // curl would invent one
    if (request.FindHeader("accept") == nullptr) add_header("Accept:");

    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);  // send the path we signed, dot segments included
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);     // timeouts without SIGALRM: safe in threads
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options_.ca_bundle.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_bundle.c_str());
    curl_easy_setopt(c, CURLOPT_PROXY, options_.proxy.c_str());
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_detail);

    if (request.method == "HEAD") {
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    } else if (request.method == "GET" && request.body.empty()) {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    } else {
        // POSTFIELDS sends the body (or an explicit empty one) with Content-Length; CUSTOMREQUEST sets the verb.
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }

    const CURLcode rc = curl_easy_perform(c);
    if (t.too_large) {
        return MakeError(kErrMalformedResponse, "response larger than " + std::to_string(t.max_bytes) + " bytes");
    }
    if (rc != CURLE_OK) return TransportError(rc, error_detail);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    t.response.status = static_cast<int>(status);
    return std::move(t.response);
}

Result<HttpResponse> HttpClient::Send(const HttpRequest& request) {
    return Send([&request]() -> Result<HttpRequest> { return request; });
}

Result<HttpResponse> HttpClient::Send(const RequestFactory& make_request) {
    int retry_cost_taken = 0;
    for (int attempt = 1;; ++attempt) {
        if (attempt > 1) options_.sleep(BackoffDelay(options_.retry, attempt - 1, options_.random()));
        auto request = make_request();
        if (!request) return request.error();
        auto response = SendOnce(*request);
        if (response && response->status < 400) {
            quota_.OnSuccess(retry_cost_taken);
            return response;
        }
        AwsError error = response ? ParseAwsError(*response) : response.error();
        if (!error.retryable || attempt >= options_.retry.max_attempts) return error;
        retry_cost_taken = quota_.Acquire(error);
        if (retry_cost_taken == 0) {
            error.message += " (not retried: retry quota exhausted)";
            return error;
        }
    }
}

}  // namespace gw::aws
