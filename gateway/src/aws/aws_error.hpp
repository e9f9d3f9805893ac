#pragma once
// AWS error documents -> AwsError, and which errors the standard retry mode retries.
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
#include <string_view>

#include "aws/http_types.hpp"
#include "aws/result.hpp"

namespace gw::aws {

// Reads an HTTP error response: XML (<ErrorResponse><Error><Code>… for query APIs such as STS and
// CloudFormation, <Error><Code>… for S3, <Response><Errors><Error>… for EC2) or JSON ({"__type", "message"}
// for SSM and other JSON APIs). Falls back to the status line when the body says nothing usable.
AwsError ParseAwsError(const HttpResponse& response);

// Throttling codes (Throttling, ThrottlingException, RequestLimitExceeded, SlowDown, ...).
bool IsThrottlingCode(std::string_view code);
// Transient codes (RequestTimeout, InternalError, ...) that standard mode retries.
bool IsTransientCode(std::string_view code);
// Whether standard mode retries an error with this status and code: throttling, transient codes, 500/502/503/504.
bool IsRetryable(int http_status, std::string_view code);

}  // namespace gw::aws
