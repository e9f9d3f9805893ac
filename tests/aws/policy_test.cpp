// The generated policies against docs/aws.md and the role template: the JSON blocks of "Least-privilege IAM
// policy" are exactly aws::GatewayPolicy() and aws::DeployRolePolicy() (so the page cannot go stale), every
// action of the operation table has a scope, the role template embeds the same policy and trusts only the
// gateway's principal with the user's ExternalId, and the service-role policy can resolve public image
// parameters.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>

#include "aws/policy.hpp"
#include "test_util.hpp"

namespace gw::aws::test {
namespace {

using nlohmann::json;

// Every ```json block of the section starting at `heading` (up to the next "## ").
std::vector<json> Blocks(const std::string& doc, const std::string& heading) {
    std::vector<json> out;
    const auto start = doc.find(heading);
    if (start == std::string::npos) return out;
    const auto end = doc.find("\n## ", start + 4);
    const std::string section = doc.substr(start, end == std::string::npos ? std::string::npos : end - start);
    static const std::regex block("```json\\n([\\s\\S]*?)```");
    for (std::sregex_iterator it(section.begin(), section.end(), block), e; it != e; ++it) {
        out.push_back(json::parse((*it)[1].str(), nullptr, false));
    }
    return out;
}

TEST(Policy, EveryActionOfTheTableHasAScope) { EXPECT_EQ(UnscopedActions(), ""); }

TEST(Policy, TheDocsPrintExactlyTheGeneratedPolicies) {
    const auto blocks = Blocks(ReadFile(CS_AWS_DOC), "## Least-privilege IAM policy");
    ASSERT_EQ(blocks.size(), 2u);
    EXPECT_EQ(blocks[0], json(GatewayPolicy())) << "docs/aws.md's gateway policy differs from the code; it should be:\n"
                                                << GatewayPolicy().dump(2);
    EXPECT_EQ(blocks[1], json(DeployRolePolicy()))
        << "docs/aws.md's deploy-role policy differs from the code; it should be:\n" << DeployRolePolicy().dump(2);
}

TEST(Policy, RoleTemplateTrustsOnlyTheGatewayWithTheExternalIdAndEmbedsThePolicy) {
    const json t = DeployRoleTemplate();
    ASSERT_TRUE(t["Resources"].contains("DeployRole"));
    const json& role = t["Resources"]["DeployRole"];
    EXPECT_EQ(role["Type"], "AWS::IAM::Role");
    const json& trust = role["Properties"]["AssumeRolePolicyDocument"]["Statement"];
    ASSERT_EQ(trust.size(), 1u);
    EXPECT_EQ(trust[0]["Principal"], json({{"AWS", {{"Ref", "GatewayPrincipal"}}}}));
    EXPECT_EQ(trust[0]["Action"], "sts:AssumeRole");
    EXPECT_EQ(trust[0]["Condition"], json({{"StringEquals", {{"sts:ExternalId", {{"Ref", "ExternalId"}}}}}}));
    EXPECT_EQ(role["Properties"]["Policies"][0]["PolicyDocument"], json(DeployRolePolicy()));
    EXPECT_EQ(t["Parameters"]["RoleName"]["Default"], "cloudsketch-deployer");
    EXPECT_TRUE(std::regex_match("cloudsketch-deployer-alice", std::regex(t["Parameters"]["RoleName"]["AllowedPattern"].get<std::string>())));
    EXPECT_FALSE(std::regex_match("admin", std::regex(t["Parameters"]["RoleName"]["AllowedPattern"].get<std::string>())));
    EXPECT_EQ(t["Outputs"]["RoleArn"]["Value"], json({{"Fn::GetAtt", {"DeployRole", "Arn"}}}));
    // The gateway may assume what the template names: its own policy's resource matches the default name.
    const std::string assumable = GatewayPolicy()["Statement"][0]["Resource"];
    EXPECT_TRUE(assumable.ends_with(":role/cloudsketch-deployer*")) << assumable;
}

TEST(Policy, ServiceRoleResolvesPublicImageParameters) {
    const auto blocks = Blocks(ReadFile(CS_AWS_DOC), "## CloudFormation service role policy");
    ASSERT_EQ(blocks.size(), 1u);
    ASSERT_FALSE(blocks[0].is_discarded());
    bool found = false;
    for (const auto& st : blocks[0]["Statement"]) {
        if (st["Action"] == "ssm:GetParameters") {
            found = true;
            EXPECT_EQ(st["Resource"], "arn:aws:ssm:*::parameter/aws/service/*");
        }
    }
    EXPECT_TRUE(found);
}

// The instance roles carry AmazonSSMManagedInstanceCore (Run Command for backups): the service role may attach
// that one managed policy to CloudSketch's roles, and no other.
TEST(Policy, ServiceRoleAttachesOnlyTheSsmManagedPolicy) {
    const auto blocks = Blocks(ReadFile(CS_AWS_DOC), "## CloudFormation service role policy");
    ASSERT_EQ(blocks.size(), 1u);
    int attaching = 0;
    for (const auto& st : blocks[0]["Statement"]) {
        const json actions = st["Action"].is_array() ? st["Action"] : json::array({st["Action"]});
        bool attach = false;
        for (const auto& a : actions) attach = attach || a == "iam:AttachRolePolicy" || a == "iam:*";
        if (!attach) continue;
        ++attaching;
        EXPECT_EQ(st["Resource"], "arn:aws:iam::*:role/cloudsketch-*");
        EXPECT_EQ(st["Condition"]["ArnEquals"]["iam:PolicyARN"], "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore")
            << st.dump();
    }
    EXPECT_EQ(attaching, 1);
}

}  // namespace
}  // namespace gw::aws::test
