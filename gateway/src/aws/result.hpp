#pragma once
// Errors are values in gw::aws: every fallible call returns Result<T>, which holds either a T or an
// AwsError. Nothing in this layer throws across its API.
#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace gw::aws {

// Local (non-HTTP) error codes. AWS service codes ("Throttling", "AccessDenied", ...) are used verbatim.
inline constexpr const char* kErrInvalidArgument = "InvalidArgument";      // caller passed something unusable
inline constexpr const char* kErrNetwork = "NetworkError";                // connect/reset/DNS; retryable
inline constexpr const char* kErrTimeout = "RequestTimeout";              // local connect/total timeout; retryable
inline constexpr const char* kErrCredentialsNotFound = "CredentialsNotFound";  // a provider had nothing to offer
inline constexpr const char* kErrMalformedResponse = "MalformedResponse";  // a 2xx body we could not parse
inline constexpr const char* kErrUnknown = "UnknownError";                // an HTTP error without a readable body

// One error shape for the whole AWS layer: a service error document, or a local failure (http_status 0).
struct AwsError {
    int http_status = 0;     // HTTP status of the final attempt; 0 when no response was received
    std::string code;        // AWS error code ("ThrottlingException") or one of the kErr* codes above
    std::string message;     // human-readable; never contains secrets
    std::string request_id;  // x-amzn-RequestId / <RequestId>, empty when unknown
    bool retryable = false;  // whether the standard retry mode would retry it
};

// Builds a local (non-HTTP) error.
inline AwsError MakeError(std::string code, std::string message, bool retryable = false) {
    return AwsError{0, std::move(code), std::move(message), {}, retryable};
}

// Either a value or an AwsError. value() on an error (or error() on a value) is a programmer mistake.
template <class T>
class Result {
public:
    Result(T value) : v_(std::move(value)) {}             // NOLINT: implicit on purpose, `return value;`
    Result(AwsError error) : v_(std::move(error)) {}      // NOLINT: implicit on purpose, `return error;`

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { assert(ok() && "Result::value() on an error"); return std::get<0>(v_); }
    const T& value() const& { assert(ok() && "Result::value() on an error"); return std::get<0>(v_); }
    T&& value() && { assert(ok() && "Result::value() on an error"); return std::get<0>(std::move(v_)); }
    const AwsError& error() const { assert(!ok() && "Result::error() on a value"); return std::get<1>(v_); }

    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

private:
    std::variant<T, AwsError> v_;
};

}  // namespace gw::aws
