// docs/aws.md's least-privilege policy against the code: every IAM action the gateway's calls need
// (AllOperations() + ImpliedIamActions(), the one list the typed calls take their Operation from) is
// allowed by the policy, nothing beyond them is granted, and no statement grants a wildcard action.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>
#include <set>

#include "aws/operations.hpp"
#include "test_util.hpp"

namespace gw::aws::test {
namespace {

// Every ```json block of the section "## Least-privilege IAM policy".
std::vector<nlohmann::json> PolicyBlocks(const std::string& doc) {
    std::vector<nlohmann::json> out;
    const auto start = doc.find("## Least-privilege IAM policy");
    if (start == std::string::npos) return out;
    const auto end = doc.find("\n## ", start + 4);
    const std::string section = doc.substr(start, end == std::string::npos ? std::string::npos : end - start);
    static const std::regex block("```json\\n([\\s\\S]*?)```");
    for (std::sregex_iterator it(section.begin(), section.end(), block), e; it != e; ++it) {
        out.push_back(nlohmann::json::parse((*it)[1].str(), nullptr, false));
    }
    return out;
}

std::vector<std::string> Actions(const nlohmann::json& statement) {
    const auto& a = statement["Action"];
    if (a.is_string()) return {a.get<std::string>()};
    return a.get<std::vector<std::string>>();
}

TEST(IamPolicy, AllowsExactlyTheActionsTheCodeCallsWithoutWildcards) {
    const std::string doc = ReadFile(CS_AWS_DOC);
    ASSERT_FALSE(doc.empty()) << CS_AWS_DOC;
    const auto blocks = PolicyBlocks(doc);
    ASSERT_GE(blocks.size(), 2u) << "expected the gateway's policy and the deploy role's policy";

    std::set<std::string> needed;
    for (const auto& op : AllOperations()) needed.insert(std::string(op.iam_action));
    for (auto a : ImpliedIamActions()) needed.insert(std::string(a));

    std::set<std::string> granted;
    for (const auto& policy : blocks) {
        ASSERT_FALSE(policy.is_discarded()) << "a policy block is not valid JSON";
        ASSERT_EQ(policy["Version"], "2012-10-17");
        for (const auto& st : policy["Statement"]) {
            ASSERT_EQ(st["Effect"], "Allow") << st.dump();
            ASSERT_FALSE(st.contains("NotAction")) << st.dump();
            ASSERT_TRUE(st.contains("Resource")) << st.dump();
            for (const auto& a : Actions(st)) {
                EXPECT_EQ(a.find('*'), std::string::npos) << "wildcard action " << a;
                granted.insert(a);
            }
        }
    }
    for (const auto& a : needed) EXPECT_TRUE(granted.contains(a)) << a << " is called but the policy does not allow it";
    for (const auto& a : granted) EXPECT_TRUE(needed.contains(a)) << a << " is granted but the gateway never calls it";
}

TEST(IamPolicy, OperationsAreUniqueAndNamedAfterTheirService) {
    std::set<std::string> seen;
    for (const auto& op : AllOperations()) {
        EXPECT_TRUE(seen.insert(std::string(op.iam_action)).second) << op.iam_action;
        const std::string prefix = std::string(op.service_id == "ssm" ? "ssm" : op.service_id) + ":";
        EXPECT_TRUE(std::string(op.iam_action).starts_with(prefix)) << op.iam_action;
        // IAM names an action after its API operation, except where the S3 authorization reference says
        // otherwise (PutBucketLifecycleConfiguration is allowed by s3:PutLifecycleConfiguration).
        const std::string expected = op.name == "PutBucketLifecycleConfiguration" ? "PutLifecycleConfiguration"
                                                                                   : std::string(op.name);
        EXPECT_EQ(std::string(op.iam_action).substr(prefix.size()), expected);
    }
}

}  // namespace
}  // namespace gw::aws::test
