#pragma once
// How the gateway finds a user's AWS deploy role: the role ARN they set (PUT /v1/account/aws) with the
// ExternalId the gateway generated for them. Shared by the aws deploy target's registration (server.cpp) and
// the AWS routes (routes_aws.cpp), so both assume the same role.
#include "deploy/aws/aws_target.hpp"
#include "store.hpp"

namespace gw {

// The aws target's options from the process environment, with user_role reading `store`.
deploy::AwsTargetOptions GatewayAwsOptions(Store& store);

}  // namespace gw
