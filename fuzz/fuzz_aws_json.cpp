// Target: the readers of AWS's JSON answers: SSM's SendCommand and GetCommandInvocation (gateway/src/aws/ssm.cpp),
// fed exactly what CallJson hands them (any JSON value nlohmann reads from the body), and the ISO 8601 times
// in STS and instance-metadata credentials (aws_time.cpp) on the raw text. Properties: no crash, no
// sanitizer report, nothing thrown (an answer of the wrong shape is a value, not an exception that would end
// the deploy worker's thread), and a parsed time prints back as a valid ISO 8601 time.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "aws/aws_time.hpp"
#include "aws/ssm.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const nlohmann::json answer = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!answer.is_discarded()) {
        (void)gw::aws::ssm::ReadCommandId(answer);
        (void)gw::aws::ssm::ReadCommandInvocation(answer);
    }
    if (auto t = gw::aws::ParseIso8601(text)) {
        FUZZ_CHECK(gw::aws::ParseIso8601(gw::aws::FormatIso8601(*t)).has_value());
    }
    return 0;
}
