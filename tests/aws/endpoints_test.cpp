#include "aws/endpoints.hpp"

#include <gtest/gtest.h>

namespace gw::aws::test {
namespace {

TEST(EndpointsTest, DefaultsPerServiceAndPartition) {
    const Env none;
    EXPECT_EQ(ResolveEndpoint("cloudformation", "eu-west-1", none)->url_base, "https://cloudformation.eu-west-1.amazonaws.com");
    EXPECT_EQ(ResolveEndpoint("sts", "ap-southeast-2", none)->host, "sts.ap-southeast-2.amazonaws.com");
    EXPECT_EQ(ResolveEndpoint("ssm", "cn-north-1", none)->host, "ssm.cn-north-1.amazonaws.com.cn");
    EXPECT_EQ(ResolveEndpoint("iam", "eu-west-1", none)->host, "iam.amazonaws.com");
    EXPECT_FALSE(ResolveEndpoint("s3", "us-east-1", none)->overridden);
}

TEST(EndpointsTest, ServiceOverrideBeatsGlobalOverride) {
    const Env env{{"AWS_ENDPOINT_URL", "http://127.0.0.1:4566"},
                  {"AWS_ENDPOINT_URL_CLOUDFORMATION", "http://localhost:9000/cfn/"}};
    const auto cfn = ResolveEndpoint("cloudformation", "eu-west-1", env);
    ASSERT_TRUE(cfn.ok());
    EXPECT_EQ(cfn->url_base, "http://localhost:9000");
    EXPECT_EQ(cfn->host, "localhost:9000");
    EXPECT_EQ(cfn->path, "/cfn");
    EXPECT_TRUE(cfn->overridden);
    const auto sts = ResolveEndpoint("sts", "eu-west-1", env);
    EXPECT_EQ(sts->host, "127.0.0.1:4566");
    const HttpRequest r = MakeRequest(*cfn, "POST", "/");
    EXPECT_EQ(r.path, "/cfn/");
    EXPECT_EQ(*r.FindHeader("host"), "localhost:9000");
}

TEST(EndpointsTest, OverridesCanBeIgnoredAndDefaultPortsDropped) {
    Env env{{"AWS_ENDPOINT_URL_SSM", "https://ssm.example.internal:443"}};
    EXPECT_EQ(ResolveEndpoint("ssm", "eu-west-1", env)->host, "ssm.example.internal");
    env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
    EXPECT_EQ(ResolveEndpoint("ssm", "eu-west-1", env)->host, "ssm.eu-west-1.amazonaws.com");
}

TEST(EndpointsTest, RejectsUnsafeInput) {
    EXPECT_FALSE(ResolveEndpoint("sts", "eu-west-1.evil.com/", {}).ok());  // region ends up in a host name
    EXPECT_FALSE(ResolveEndpoint("sts", "", {}).ok());
    EXPECT_FALSE(ResolveEndpoint("sts", "eu-west-1", {{"AWS_ENDPOINT_URL_STS", "ftp://x"}}).ok());
    EXPECT_FALSE(ParseEndpointUrl("http://user@host").ok());
}

TEST(EndpointsTest, RegionFromEnvironment) {
    EXPECT_EQ(RegionFromEnv({{"AWS_DEFAULT_REGION", "eu-west-1"}}), "eu-west-1");
    EXPECT_EQ(RegionFromEnv({{"AWS_DEFAULT_REGION", "eu-west-1"}, {"AWS_REGION", "us-east-2"}}), "us-east-2");
    EXPECT_EQ(RegionFromEnv({}), "");
}

}  // namespace
}  // namespace gw::aws::test
