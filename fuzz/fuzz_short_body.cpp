// Target: the short request body ({"os", "hardware", "db"}; shared/src/short_body.cpp) read from any JSON
// value, not only those IsShortBody sends its way, then validated with its paths mapped back into the short
// body, as plan::CheckPlan does for a short body. Properties:
//  - every diagnostic path, and its mapping by ShortBodyPath, is a JSON pointer;
//  - the normalised plan is a readable full plan whose dump reads back to the same bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "plan/json.hpp"
#include "plan/json_text.hpp"
#include "plan/validate.hpp"
#include "short_body.hpp"

namespace {

bool IsPointer(const std::string& path) { return path.empty() || path[0] == '/'; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const plan::JsonText read = plan::ReadJsonText(text);
    if (read.error) return 0;
    const plan::ParseOutcome outcome = plan::detail::ReadShortBody(read.value);
    FUZZ_CHECK(outcome.short_body);
    FUZZ_CHECK(outcome.plan.has_value());  // the short body always yields the default plan, edited
    for (const plan::Diagnostic& d : outcome.diagnostics) FUZZ_CHECK(IsPointer(d.path));
    for (const plan::Diagnostic& d : plan::Validate(*outcome.plan)) {
        FUZZ_CHECK(IsPointer(d.path));
        FUZZ_CHECK(IsPointer(plan::detail::ShortBodyPath(d.path)));
    }
    const std::string dumped = plan::DumpPlan(*outcome.plan);
    const plan::ParseOutcome full = plan::ParsePlan(dumped);
    FUZZ_CHECK(full.plan.has_value());
    FUZZ_CHECK(!full.short_body);
    FUZZ_CHECK(plan::DumpPlan(*full.plan) == dumped);
    // And the public path the gateway takes for the same document.
    const plan::ParseOutcome checked = plan::CheckPlanDocument(read.value);
    for (const plan::Diagnostic& d : checked.diagnostics) FUZZ_CHECK(IsPointer(d.path));
    return 0;
}
