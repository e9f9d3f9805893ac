// Target: AWS error responses -> AwsError (gateway/src/aws/aws_error.cpp), for every protocol the gateway
// speaks: query XML (<ErrorResponse><Error>), S3 (<Error>), EC2 (<Response><Errors><Error>) and JSON
// ({"__type", "message"} or the x-amzn-errortype header). Input format, so seeds stay readable:
//   line 1: the HTTP status (digits; anything else is 0)
//   then "name: value" header lines up to an empty line
//   the rest: the body
// Properties: the error always has a code; its status is the response's; retryable agrees with IsRetryable.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "aws/aws_error.hpp"
#include "fuzz_check.hpp"

namespace {

std::string_view NextLine(std::string_view& rest) {
    const std::size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view rest(reinterpret_cast<const char*>(data), size);
    gw::aws::HttpResponse response;
    for (char c : NextLine(rest)) {
        if (c < '0' || c > '9' || response.status > 9999) break;
        response.status = response.status * 10 + (c - '0');
    }
    while (!rest.empty()) {
        const std::string_view line = NextLine(rest);
        if (line.empty()) break;
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        response.headers.push_back({gw::aws::ToLower(line.substr(0, colon)), std::string(value)});
    }
    response.body = std::string(rest);

    const gw::aws::AwsError e = gw::aws::ParseAwsError(response);
    FUZZ_CHECK(!e.code.empty());
    FUZZ_CHECK(e.http_status == response.status);
    FUZZ_CHECK(e.retryable == gw::aws::IsRetryable(e.http_status, e.code));
    return 0;
}
