#include "aws/operations.hpp"

namespace gw::aws {

const std::vector<Operation>& AllOperations() {
    static const std::vector<Operation> all = {
        ops::kValidateTemplate,  ops::kCreateChangeSet,  ops::kDescribeChangeSet,
        ops::kExecuteChangeSet,  ops::kDescribeStacks,   ops::kDescribeStackEvents,
        ops::kDeleteStack,       ops::kDetectStackDrift, ops::kDescribeStackDriftDetectionStatus,
        ops::kPutParameter,      ops::kDeleteParameter,  ops::kDescribeInstanceStatus,
        ops::kDescribeVpcs,      ops::kDescribeSubnets,  ops::kAssumeRole,
        ops::kPutObject,         ops::kDeleteObject,     ops::kCreateBucket,
        ops::kSendCommand,       ops::kGetCommandInvocation, ops::kPutBucketLifecycleConfiguration,
    };
    return all;
}

const std::vector<std::string_view>& ImpliedIamActions() {
    static const std::vector<std::string_view> implied = {"iam:PassRole", "s3:GetObject", "ssm:GetParameters"};
    return implied;
}

}  // namespace gw::aws
