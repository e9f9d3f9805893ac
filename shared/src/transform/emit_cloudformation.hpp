#pragma once
// Internal: the CloudFormation pieces for one PostgreSQL component (see emit_cloudformation.cpp).
#include <nlohmann/json.hpp>

#include "plan/catalog.hpp"
#include "plan/diagnostic.hpp"
#include "plan/plan.hpp"

namespace plan::detail {

// Adds the parameters, resources and outputs of the postgres component at `db_index` (whose host VM
// runs `type` with `image`) to the three template sections. Plan-aware warnings go to `diagnostics`.
void EmitDatabase(const Plan& plan, std::size_t db_index, const InstanceType& type, const OsImage& image,
                  nlohmann::ordered_json& parameters, nlohmann::ordered_json& resources,
                  nlohmann::ordered_json& outputs, Diagnostics& diagnostics);

}  // namespace plan::detail
