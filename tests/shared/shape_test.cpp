// Cloud name shapes, checked by hand instead of std::regex (see shared/src/shape.hpp for why).
#include <gtest/gtest.h>

#include "../../shared/src/shape.hpp"

namespace {

using namespace plan::detail;

TEST(Shape, AwsRegions) {
    for (const char* ok : {"us-east-1", "eu-central-2", "ap-southeast-4", "us-gov-west-1", "us-isob-east-1"}) {
        EXPECT_TRUE(IsAwsRegionName(ok)) << ok;
    }
    for (const char* bad : {"", "us-east", "us-east-12", "USA-east-1", "us--1", "u-east-1", "us-east-1-", "mars-north-1x"}) {
        EXPECT_FALSE(IsAwsRegionName(bad)) << bad;
    }
}

TEST(Shape, GcpAndAzureRegions) {
    for (const char* ok : {"europe-west1", "us-central1", "northamerica-northeast2", "europe-west10"}) {
        EXPECT_TRUE(IsGcpRegionName(ok)) << ok;
    }
    for (const char* bad : {"europe-west", "europe1", "-west1", "europe-1", "Europe-west1"}) {
        EXPECT_FALSE(IsGcpRegionName(bad)) << bad;
    }
    EXPECT_TRUE(IsAzureRegionName("westeurope"));
    EXPECT_TRUE(IsAzureRegionName("eastus2"));
    EXPECT_FALSE(IsAzureRegionName("2eastus"));
    EXPECT_FALSE(IsAzureRegionName("West Europe"));
}

TEST(Shape, InstanceTypes) {
    for (const char* ok : {"t3.medium", "m7g.2xlarge", "u-6tb1.metal", "c7i.48xlarge"}) EXPECT_TRUE(IsAwsInstanceTypeName(ok)) << ok;
    for (const char* bad : {"t3", ".medium", "t3.", "T3.medium", "t3.medium.x", "not a type"}) {
        EXPECT_FALSE(IsAwsInstanceTypeName(bad)) << bad;
    }
    EXPECT_TRUE(IsAzureInstanceTypeName("Standard_D2s_v5"));
    EXPECT_FALSE(IsAzureInstanceTypeName("Standard_"));
    EXPECT_FALSE(IsAzureInstanceTypeName("D2s_v5"));
    EXPECT_TRUE(IsGcpInstanceTypeName("e2-standard-2"));
    EXPECT_TRUE(IsGcpInstanceTypeName("n2-highmem-8"));
    EXPECT_FALSE(IsGcpInstanceTypeName("e2"));
    EXPECT_FALSE(IsGcpInstanceTypeName("E2-standard-2"));
}

TEST(Shape, AmiAndComponentIds) {
    EXPECT_TRUE(IsAmiId("ami-0abcdef1234567890"));
    EXPECT_TRUE(IsAmiId("ami-12345678"));
    EXPECT_FALSE(IsAmiId("ami-0abc..."));
    EXPECT_FALSE(IsAmiId("ami-0ABCDEF1234567890"));
    EXPECT_FALSE(IsAmiId("ami-123456789"));
    EXPECT_TRUE(IsComponentIdShape("vm-1"));
    EXPECT_TRUE(IsComponentIdShape(std::string(40, 'a')));
    EXPECT_FALSE(IsComponentIdShape(std::string(41, 'a')));
    EXPECT_FALSE(IsComponentIdShape("1vm"));
    EXPECT_FALSE(IsComponentIdShape("VM One"));
    EXPECT_FALSE(IsComponentIdShape(""));
}

}  // namespace
