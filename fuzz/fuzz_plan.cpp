// Target: the cs-json reader, normaliser and validator (plan::CheckPlan = ParsePlan + Validate), as the
// gateway runs them on every plan body, `cs validate` on a file and the editor on every paste.
// Properties beyond "no crash, no sanitizer report, nothing thrown out":
//  - every diagnostic has a code and a message, and its path is a JSON pointer ("" or starting with "/");
//  - a document that does not read gives no plan and at least one error;
//  - normalising is idempotent: a readable plan dumped, read and dumped again gives the same bytes (the
//    stored form of a plan must read back as itself).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "plan/json.hpp"
#include "plan/validate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const plan::ParseOutcome outcome = plan::CheckPlan(text);
    for (const plan::Diagnostic& d : outcome.diagnostics) {
        FUZZ_CHECK(!d.code.empty());
        FUZZ_CHECK(!d.message.empty());
        FUZZ_CHECK(d.path.empty() || d.path[0] == '/');
    }
    if (!outcome.plan) {
        FUZZ_CHECK(plan::HasErrors(outcome.diagnostics));
        return 0;
    }
    const std::string once = plan::DumpPlan(*outcome.plan);
    const plan::ParseOutcome again = plan::ParsePlan(once);
    FUZZ_CHECK(again.plan.has_value());
    FUZZ_CHECK(plan::DumpPlan(*again.plan) == once);
    return 0;
}
