#pragma once
// Every AWS operation the gateway calls, with the IAM action that allows it: the one list the
// least-privilege policy in docs/aws.md is checked against (tests/aws/iam_policy_test.cpp), and the
// list the test double's request log is checked against. A call that is not in this table cannot be
// made: the typed calls (cloudformation.hpp, ssm.hpp, ec2.hpp, sts.hpp) take an Operation from here.
#include <string_view>
#include <vector>

namespace gw::aws {

struct Operation {
    std::string_view service_id;  // endpoint id and SigV4 service name: "cloudformation", "ssm", "ec2", "sts", "s3"
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
// On-demand backups: the backup script the first-boot script installed, run through Run Command.
inline constexpr Operation kSendCommand{"ssm", "SendCommand", "ssm:SendCommand"};
inline constexpr Operation kGetCommandInvocation{"ssm", "GetCommandInvocation", "ssm:GetCommandInvocation"};
inline constexpr Operation kDescribeInstanceStatus{"ec2", "DescribeInstanceStatus", "ec2:DescribeInstanceStatus"};
inline constexpr Operation kDescribeVpcs{"ec2", "DescribeVpcs", "ec2:DescribeVpcs"};
inline constexpr Operation kDescribeSubnets{"ec2", "DescribeSubnets", "ec2:DescribeSubnets"};
inline constexpr Operation kAssumeRole{"sts", "AssumeRole", "sts:AssumeRole"};
// Templates over 51,200 bytes are staged in S3 and passed as TemplateURL (s3.hpp).
inline constexpr Operation kPutObject{"s3", "PutObject", "s3:PutObject"};
inline constexpr Operation kDeleteObject{"s3", "DeleteObject", "s3:DeleteObject"};
inline constexpr Operation kCreateBucket{"s3", "CreateBucket", "s3:CreateBucket"};
// A new staging bucket expires what a deployment failed to delete (IAM names the action without "Bucket").
inline constexpr Operation kPutBucketLifecycleConfiguration{"s3", "PutBucketLifecycleConfiguration",
                                                            "s3:PutLifecycleConfiguration"};
}  // namespace ops

// Every operation above, in the order listed.
const std::vector<Operation>& AllOperations();

// IAM actions a call implies without being an API call of its own, checked against the caller:
//   iam:PassRole       CreateChangeSet with a RoleARN (a CloudFormation service role) passes that role
//   s3:GetObject       CreateChangeSet/ValidateTemplate with a TemplateURL: CloudFormation reads the staged
//                      template with the caller's credentials
//   ssm:GetParameters  CreateChangeSet resolves the template's public image parameters
//                      (AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>, /aws/service/...) as the caller
//                      when no service role is given (with one, as the service role: docs/aws.md)
const std::vector<std::string_view>& ImpliedIamActions();

}  // namespace gw::aws
