#pragma once
// Sends a request signed with SigV4, signing every attempt afresh (a retry after a long backoff must not
// carry a stale X-Amz-Date).
#include "aws/credentials.hpp"
#include "aws/http_client.hpp"
#include "aws/sigv4.hpp"

namespace gw::aws {

// Signs `request` for service/region with `credentials` at now() before each attempt and sends it.
Result<HttpResponse> SendSigned(HttpClient& http, const HttpRequest& request, const Credentials& credentials,
                                const std::string& service, const std::string& region, const TimeSource& now);

}  // namespace gw::aws
