#pragma once
// EC2, read-only: status checks of the database servers and the default network to deploy into
// (query protocol, API version 2016-11-15). https://docs.aws.amazon.com/AWSEC2/latest/APIReference/
#include <string>
#include <vector>

#include "aws/service_call.hpp"

namespace gw::aws::ec2 {

inline constexpr std::string_view kApiVersion = "2016-11-15";

struct InstanceStatus {
    std::string instance_id;
    std::string state;            // pending, running, stopping, stopped, ...
    std::string system_status;    // ok, impaired, initializing, insufficient-data, not-applicable
    std::string instance_status;  // the same values
};

// Status of these instances, also when they are not running (IncludeAllInstances=true).
Result<std::vector<InstanceStatus>> DescribeInstanceStatus(const CallContext& ctx, const std::vector<std::string>& ids);

// The account's default VPC in the region; "" when it has none.
Result<std::string> DefaultVpcId(const CallContext& ctx);
// A default subnet (default-for-az) of that VPC, the first by availability zone; "" when none.
Result<std::string> DefaultSubnetId(const CallContext& ctx, const std::string& vpc_id);

}  // namespace gw::aws::ec2
