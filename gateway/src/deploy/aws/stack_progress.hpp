#pragma once
// Reading CloudFormation's stack events the way a user wants them: one line per event, the first
// failure in plain words, and which stack statuses mean done, failed or still going.
#include <string>
#include <string_view>

#include "aws/cloudformation.hpp"

namespace gw::deploy::awsdeploy {

// "PgMainPrimary (AWS::EC2::Instance): CREATE_COMPLETE" [+ " - reason"].
std::string DescribeEvent(const aws::cfn::StackEvent& e);
// info, warning (rollbacks, deletes during a rollback) or error (*_FAILED).
std::string_view EventLevel(const aws::cfn::StackEvent& e);
// A resource failure that caused something, not a consequence of another ("Resource creation cancelled").
bool IsRootFailure(const aws::cfn::StackEvent& e);
// CloudFormation's reason in plain words: "not authorized to perform ec2:RunInstances", "timed out waiting
// for PostgreSQL to signal", "instance type not available in this zone: ..."; otherwise the reason as is.
std::string PlainReason(std::string_view reason);

enum class StackOutcome { InProgress, Succeeded, CreateRolledBack, UpdateRolledBack, Broken };
StackOutcome Classify(std::string_view stack_status);

}  // namespace gw::deploy::awsdeploy
