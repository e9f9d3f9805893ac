#include "aws/ec2.hpp"

#include <algorithm>

namespace gw::aws::ec2 {
namespace {

std::string Get(const XmlDocument::Record& r, const std::string& key) {
    auto it = r.find(key);
    return it == r.end() ? std::string() : it->second;
}

}  // namespace

Result<std::vector<InstanceStatus>> DescribeInstanceStatus(const CallContext& ctx, const std::vector<std::string>& ids) {
    QueryParams q = {{"IncludeAllInstances", "true"}};
    for (std::size_t i = 0; i < ids.size(); ++i) q.emplace_back("InstanceId." + std::to_string(i + 1), ids[i]);
    auto doc = CallQuery(ctx, ops::kDescribeInstanceStatus, kApiVersion, q);
    if (!doc) return doc.error();
    std::vector<InstanceStatus> out;
    for (const auto& r : doc->FindAll({"instanceStatusSet", "item"})) {
        out.push_back({Get(r, "instanceId"), Get(r, "instanceState.name"), Get(r, "systemStatus.status"),
                       Get(r, "instanceStatus.status")});
    }
    return out;
}

Result<std::string> DefaultVpcId(const CallContext& ctx) {
    auto doc = CallQuery(ctx, ops::kDescribeVpcs, kApiVersion,
                         {{"Filter.1.Name", "is-default"}, {"Filter.1.Value.1", "true"}});
    if (!doc) return doc.error();
    auto items = doc->FindAll({"vpcSet", "item"});
    return items.empty() ? std::string() : Get(items.front(), "vpcId");
}

Result<std::string> DefaultSubnetId(const CallContext& ctx, const std::string& vpc_id) {
    auto doc = CallQuery(ctx, ops::kDescribeSubnets, kApiVersion,
                         {{"Filter.1.Name", "vpc-id"}, {"Filter.1.Value.1", vpc_id},
                          {"Filter.2.Name", "default-for-az"}, {"Filter.2.Value.1", "true"}});
    if (!doc) return doc.error();
    auto items = doc->FindAll({"subnetSet", "item"});
    if (items.empty()) return std::string();
    // Deterministic: the same subnet every time for the same account and region.
    std::sort(items.begin(), items.end(),
              [](const auto& a, const auto& b) { return Get(a, "availabilityZone") < Get(b, "availabilityZone"); });
    return Get(items.front(), "subnetId");
}

}  // namespace gw::aws::ec2
