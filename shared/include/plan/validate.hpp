#pragma once
// The rules a plan must follow before it can be saved or deployed. The same code runs in the
// browser (live, on every edit) and in the gateway (which never trusts the browser).
#include <string_view>

#include "plan/diagnostic.hpp"
#include "plan/json.hpp"
#include "plan/plan.hpp"

namespace plan {

// Semantic rules on a readable plan: ids, names, hosts, sizes, versions, networks, schedules; then,
// when those pass, the catalogue's rules (CheckHardware in catalog.hpp). Every problem found, in order.
Diagnostics Validate(const Plan& plan);

// ParsePlan + Validate: what the gateway runs on a request body. `plan` is set whenever the
// document was readable; `diagnostics` holds structural and semantic problems together.
ParseOutcome CheckPlan(std::string_view text);

// Same as CheckPlan(text), for a document the caller has already parsed (the gateway parses bodies once).
// Not an overload of CheckPlan: a std::string converts to nlohmann::json too, so the call would be ambiguous.
ParseOutcome CheckPlanDocument(const nlohmann::json& document);

// Individual checks, shared with the editor's input fields.
bool IsValidComponentId(std::string_view id);
bool IsValidCidr(std::string_view cidr);
bool IsValidCron(std::string_view schedule);
bool IsSupportedPostgresVersion(std::string_view version);

}  // namespace plan
