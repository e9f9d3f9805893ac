// ParseRoleArn: IAM's shape and limits, and a message that says what is wrong for each way to get it wrong.
#include <gtest/gtest.h>

#include <string>

#include "aws/role_arn.hpp"

namespace gw::aws {
namespace {

std::string Problem(const std::string& arn) {
    auto r = ParseRoleArn(arn);
    return r ? std::string() : r.error().message;
}

TEST(RoleArn, ParsesPartitionAccountPathAndName) {
    auto r = ParseRoleArn("arn:aws:iam::123456789012:role/cloudsketch-deployer");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->partition, "aws");
    EXPECT_EQ(r->account_id, "123456789012");
    EXPECT_EQ(r->path, "/");
    EXPECT_EQ(r->name, "cloudsketch-deployer");

    auto p = ParseRoleArn("arn:aws-us-gov:iam::000000000001:role/team/db/cloudsketch-deployer+a=b,c.d@e_f");
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_EQ(p->partition, "aws-us-gov");
    EXPECT_EQ(p->path, "/team/db/");
    EXPECT_EQ(p->name, "cloudsketch-deployer+a=b,c.d@e_f");
    EXPECT_EQ(ParseRoleArn("arn:aws-cn:iam::123456789012:role/x")->partition, "aws-cn");
}

TEST(RoleArn, EachMistakeIsNamed) {
    const std::pair<const char*, const char*> cases[] = {
        {"", "does not start with arn:"},
        {"cloudsketch-deployer", "does not start with arn:"},
        {"arn:azure:iam::123456789012:role/x", "no AWS partition"},
        {"arn:aws-iso:iam::123456789012:role/x", "no AWS partition"},
        {"arn:aws:sts::123456789012:role/x", "not an IAM ARN"},
        {"arn:aws:iam::12345:role/x", "12-digit account id"},
        {"arn:aws:iam::1234567890123:role/x", "12-digit account id"},
        {"arn:aws:iam::123456789012", "12-digit account id"},
        {"arn:aws:iam::123456789012:user/x", "does not name a role"},
        {"arn:aws:iam::123456789012:role/", "without a role name"},
        {"arn:aws:iam::123456789012:role/team/", "without a role name"},
        {"arn:aws:iam::123456789012:role//x", "empty path segment"},
        {"arn:aws:iam::123456789012:role/a//x", "empty path segment"},
        {"arn:aws:iam::123456789012:role/a b/x", "byte 0x20 in its path"},
        {"arn:aws:iam::123456789012:role/x*", "'*' in the role name"},
        {"arn:aws:iam::123456789012:role/x\n", "byte 0x0A in the role name"},
        {"arn:aws:iam::123456789012:role/caf\xc3\xa9", "byte 0xC3 in the role name"},
    };
    for (const auto& [arn, says] : cases) {
        const std::string problem = Problem(arn);
        EXPECT_NE(problem.find(says), std::string::npos) << arn << " -> " << problem;
        // Every message says how to fix it too.
        EXPECT_NE(problem.find("arn:aws:iam::123456789012:role/cloudsketch-deployer"), std::string::npos) << problem;
    }
}

TEST(RoleArn, IamLengthLimits) {
    const std::string prefix = "arn:aws:iam::123456789012:role";
    EXPECT_EQ(Problem(prefix + "/" + std::string(64, 'n')), "");
    EXPECT_NE(Problem(prefix + "/" + std::string(65, 'n')).find("role of 65 characters"), std::string::npos);
    std::string path = "/" + std::string(510, 'p') + "/";  // 512
    EXPECT_EQ(Problem(prefix + path + "n"), "");
    EXPECT_NE(Problem(prefix + "/q" + path.substr(1) + "n").find("path of 513 characters"), std::string::npos);
    // A path at its limit and a name at its limit stay under 2048, so the ARN limit is reached only by junk.
    EXPECT_NE(Problem(prefix + "/" + std::string(2047 - prefix.size(), 'n')).find("role of"), std::string::npos);
    EXPECT_NE(Problem(prefix + "/" + std::string(2049 - prefix.size(), 'n')).find("is 2050 characters long"),
              std::string::npos);
}

}  // namespace
}  // namespace gw::aws
