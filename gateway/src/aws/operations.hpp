#pragma once
// Every AWS operation the gateway calls, with the IAM action that allows it: the one list the
// least-privilege policy in docs/aws.md is checked against (tests/aws/iam_policy_test.cpp), and the
// list the test double's request log is checked against. A call that is not in this table cannot be
// made: the typed calls (cloudformation.hpp, ssm.hpp, ec2.hpp, sts.hpp) take an Operation from here.
#include <string_view>
#include <vector>

namespace gw::aws {

struct Operation {
    std::string_view service_id;  // endpoint id and SigV4 service name: "cloudformation", "ssm", "ec2", "sts"
    std::string_view name;        // the API action: "CreateChangeSet"
    std::string_view iam_action;  // what IAM must allow: "cloudformation:CreateChangeSet"
};

namespace ops {
inline constexpr Operation kValidateTemplate{"cloudformation", "ValidateTemplate", "cloudformation:ValidateTemplate"};
inline constexpr Operation kCreateChangeSet{"cloudformation", "CreateChangeSet", "cloudformation:CreateChangeSet"};
inline constexpr Operation kDescribeChangeSet{"cloudformation", "DescribeChangeSet", "cloudformation:DescribeChangeSet"};
inline constexpr Operation kExecuteChangeSet{"cloudformation", "ExecuteChangeSet", "cloudformation:ExecuteChangeSet"};
inline constexpr Operation kDescribeStacks{"cloudformation", "DescribeStacks", "cloudformation:DescribeStacks"};
inline constexpr Operation kDescribeStackEvents{"cloudformation", "DescribeStackEvents", "cloudformation:DescribeStackEvents"};
inline constexpr Operation kDeleteStack{"cloudformation", "DeleteStack", "cloudformation:DeleteStack"};
inline constexpr Operation kDetectStackDrift{"cloudformation", "DetectStackDrift", "cloudformation:DetectStackDrift"};
inline constexpr Operation kDescribeStackDriftDetectionStatus{"cloudformation", "DescribeStackDriftDetectionStatus",
                                                              "cloudformation:DescribeStackDriftDetectionStatus"};
inline constexpr Operation kPutParameter{"ssm", "PutParameter", "ssm:PutParameter"};
inline constexpr Operation kDeleteParameter{"ssm", "DeleteParameter", "ssm:DeleteParameter"};
inline constexpr Operation kDescribeInstanceStatus{"ec2", "DescribeInstanceStatus", "ec2:DescribeInstanceStatus"};
inline constexpr Operation kDescribeVpcs{"ec2", "DescribeVpcs", "ec2:DescribeVpcs"};
inline constexpr Operation kDescribeSubnets{"ec2", "DescribeSubnets", "ec2:DescribeSubnets"};
inline constexpr Operation kAssumeRole{"sts", "AssumeRole", "sts:AssumeRole"};
}  // namespace ops

// Every operation above, in the order listed.
const std::vector<Operation>& AllOperations();

// IAM actions a call implies without being an API call of its own: CreateChangeSet with a RoleARN
// (a CloudFormation service role) needs iam:PassRole on that role.
const std::vector<std::string_view>& ImpliedIamActions();

}  // namespace gw::aws
