#include "aws/aws_error.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "aws/xml.hpp"

namespace gw::aws {
namespace {

// Lists from the SDKs' standard retry mode (botocore retries/standard.py, aws-sdk-js-v3 service-error-classification).
constexpr std::string_view kThrottlingCodes[] = {
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
    "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown",
    "PriorRequestNotComplete", "EC2ThrottledException"};
constexpr std::string_view kTransientCodes[] = {"RequestTimeout", "RequestTimeoutException", "InternalError",
                                                "InternalFailure", "ServiceUnavailable", "IDPCommunicationError"};

template <std::size_t N>
bool Contains(const std::string_view (&list)[N], std::string_view code) {
    return std::find(std::begin(list), std::end(list), code) != std::end(list);
}

// "com.amazonaws.ssm#ParameterNotFound:http://..." -> "ParameterNotFound".
std::string ShortJsonType(std::string type) {
    if (const auto colon = type.find(':'); colon != std::string::npos) type.resize(colon);
    if (const auto hash = type.rfind('#'); hash != std::string::npos) type.erase(0, hash + 1);
    return type;
}

void FromXml(const std::string& body, AwsError& e) {
    auto doc = XmlDocument::Parse(body);
    if (!doc) return;
    e.code = doc->FindText({"Error", "Code"}).value_or("");
    e.message = doc->FindText({"Error", "Message"}).value_or("");
    if (e.request_id.empty()) {
        e.request_id = doc->FindText({"RequestId"}).value_or(doc->FindText({"RequestID"}).value_or(""));
    }
}

void FromJson(const std::string& body, const HttpResponse& r, AwsError& e) {
    const auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (j.is_object()) {
        for (const char* key : {"__type", "code", "Code"}) {
            if (j.contains(key) && j[key].is_string()) {
                e.code = ShortJsonType(j[key].get<std::string>());
                break;
            }
        }
        for (const char* key : {"message", "Message", "errorMessage"}) {
            if (j.contains(key) && j[key].is_string()) {
                e.message = j[key].get<std::string>();
                break;
            }
        }
    }
    if (e.code.empty()) {
        if (const std::string* type = r.FindHeader("x-amzn-errortype")) e.code = ShortJsonType(*type);
    }
}

}  // namespace

bool IsThrottlingCode(std::string_view code) { return Contains(kThrottlingCodes, code); }
bool IsTransientCode(std::string_view code) { return Contains(kTransientCodes, code); }

bool IsRetryable(int status, std::string_view code) {
    return IsThrottlingCode(code) || IsTransientCode(code) || status == 429 || status == 500 || status == 502 ||
           status == 503 || status == 504;
}

AwsError ParseAwsError(const HttpResponse& r) {
    AwsError e;
    e.http_status = r.status;
    for (const char* h : {"x-amzn-requestid", "x-amz-request-id"}) {
        if (const std::string* id = r.FindHeader(h)) {
            e.request_id = *id;
            break;
        }
    }
    const auto first = r.body.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && r.body[first] == '<') {
        FromXml(r.body, e);
    } else if (first != std::string::npos && r.body[first] == '{') {
        FromJson(r.body, r, e);
    }
    if (e.code.empty()) {
        e.code = r.status == 429 ? "TooManyRequestsException" : kErrUnknown;
        if (e.message.empty()) e.message = "HTTP " + std::to_string(r.status) + " without an AWS error document";
    }
    e.retryable = IsRetryable(e.http_status, e.code);
    return e;
}

}  // namespace gw::aws
