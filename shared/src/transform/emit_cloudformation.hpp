#pragma once
// Internal: the CloudFormation template (see emit_cloudformation.cpp).
#include <cstddef>
#include <string>
#include <vector>

#include "plan/catalog.hpp"
#include "plan/diagnostic.hpp"
#include "plan/plan.hpp"
#include "plan/server_config.hpp"

namespace plan::detail {

// One postgres component resolved for CloudFormation: its host's instance type and image, and the server
// configuration it runs there.
struct CfnDatabase {
    std::size_t index = 0;  // into plan.components
    const InstanceType* type = nullptr;
    OsImage image;
    ServerConfig config;    // its warnings (the memory guardrail) belong in the transform's diagnostics
};

CfnDatabase PrepareDatabase(const Plan& plan, std::size_t index, const InstanceType& type, OsImage image);

// CloudFormation's limit on resources in one stack.
inline constexpr int kMaxStackResources = 500;

// The resources the template gives one database (to check kMaxStackResources before any work).
int CountResources(const PostgresSpec& pg);

// The whole template (JSON text ending in a newline) for `databases`, in plan order.
std::string WriteCloudFormation(const Plan& plan, const std::vector<CfnDatabase>& databases);

}  // namespace plan::detail
