#pragma once
// Internal: the shapes of cloud names (regions, instance types, image ids, component ids), checked
// by hand. std::regex cost ~7 us a match in wasm, which made validating a large plan 50x slower there
// than natively; these run in nanoseconds on both.
#include <string_view>

namespace plan::detail {

bool IsAwsRegionName(std::string_view s);     // us-east-1, eu-central-2, us-gov-west-1
bool IsAzureRegionName(std::string_view s);   // westeurope, eastus2
bool IsGcpRegionName(std::string_view s);     // europe-west1, northamerica-northeast2, europe-west10
bool IsAwsInstanceTypeName(std::string_view s);    // t3.medium, m7g.2xlarge, u-6tb1.metal
bool IsAzureInstanceTypeName(std::string_view s);  // Standard_D2s_v5
bool IsGcpInstanceTypeName(std::string_view s);    // e2-standard-2, n2-highmem-8
bool IsAmiId(std::string_view s);                  // ami- and 8 or 17 lowercase hex digits
bool IsComponentIdShape(std::string_view s);       // [a-z][a-z0-9-]{0,39}

}  // namespace plan::detail
