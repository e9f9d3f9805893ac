#pragma once
// The least-privilege IAM policies and the user's deploy-role template, generated from the operation table
// (operations.hpp), so the calls the gateway makes, the policy docs/aws.md prints and the role a user creates
// cannot drift apart (tests/aws/policy_test.cpp holds all three together).
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace gw::aws {

// Role names the gateway's own policy lets it assume, and the CloudFormation service roles it may pass.
inline constexpr std::string_view kDeployRoleName = "cloudsketch-deployer";
inline constexpr std::string_view kServiceRolePrefix = "cloudsketch-cfn-";

// The gateway's own principal: sts:AssumeRole on arn:aws:iam::*:role/cloudsketch-deployer*, nothing else.
nlohmann::ordered_json GatewayPolicy();

// The deploy role's policy in the user's account: every other action of AllOperations() and
// ImpliedIamActions(), grouped by the narrowest resource AWS supports for it.
nlohmann::ordered_json DeployRolePolicy();

// A CloudFormation template that creates the deploy role: trust on `GatewayPrincipal` with the condition
// sts:ExternalId = `ExternalId` (both template parameters), DeployRolePolicy() inline, the role ARN as output.
nlohmann::ordered_json DeployRoleTemplate();

// The IAM actions of DeployRolePolicy() that no scope claims (empty when the table and the scopes agree).
std::string UnscopedActions();

}  // namespace gw::aws
