#pragma once
// Internal: the Google Cloud emitter, a Terraform JSON configuration (see emit_terraform.cpp).
#include <string>

#include "plan/transform.hpp"

namespace plan::detail {

// The Terraform JSON configuration (.gcp.tf.json) for `plan` (provider "gcp", already validated).
TransformResult EmitTerraform(const Plan& plan, const std::string& slug, TransformResult result);

}  // namespace plan::detail
