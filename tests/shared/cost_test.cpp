// plan/cost.hpp: monthly estimates of known plans, worked by hand in the comments.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "plan/cost.hpp"
#include "plan/json.hpp"

namespace {

using namespace plan;

std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

bool Mentions(const CostEstimate& e, const std::string& text) {
    for (const std::string& a : e.assumptions) {
        if (a.find(text) != std::string::npos) return true;
    }
    return false;
}

// DefaultPlan: aws us-east-1, development, t3.medium, 20 GiB SSD, one PostgreSQL, backups kept 7 days.
//   instance  730 h x $0.0416          = $30.368 -> 30.37
//   disk      20 GiB x $0.08 (gp3)     = $1.60
//   backups   20 x 0.5 x 7 = 70 GiB x $0.023 (S3) = $1.61
//   total                                $33.58
TEST(Cost, DefaultPlan) {
    const CostEstimate e = EstimateMonthlyCost(DefaultPlan());
    ASSERT_EQ(e.lines.size(), 3u);
    EXPECT_EQ(e.lines[0].component, "vm-1");
    EXPECT_EQ(e.lines[0].item, "t3.medium (2 vCPU, 4 GiB, x86_64)");
    EXPECT_EQ(e.lines[0].quantity, 730);
    EXPECT_EQ(e.lines[0].unit, "instance-hour");
    EXPECT_EQ(e.lines[0].unit_price, 0.0416);
    EXPECT_EQ(e.lines[0].monthly_usd, 30.37);
    EXPECT_EQ(e.lines[1].item, "EBS gp3 20 GiB");
    EXPECT_EQ(e.lines[1].monthly_usd, 1.60);
    EXPECT_EQ(e.lines[2].quantity, 70);
    EXPECT_EQ(e.lines[2].monthly_usd, 1.61);
    EXPECT_EQ(FormatUsd(e.total_monthly_usd), "33.58");
    EXPECT_TRUE(e.complete);
    EXPECT_EQ(e.prices_as_of, "instances 2026-01-19, storage 2024-06-01");
    EXPECT_TRUE(Mentions(e, "730 hours"));
    EXPECT_TRUE(Mentions(e, "x 0.50 (assumed data fill) x 7 days"));
}

// tests/data/plans/full_example.json: aws eu-west-1, production, a VM sized 4 vCPU / 16 GiB with a 200 GiB
// SSD, PostgreSQL with 2 replicas and 14 days of backups.
//   type: cheapest non-burstable with >= 4 vCPU and >= 16 GiB in eu-west-1 with a price:
//         m6g.xlarge $0.172 (m7g.xlarge 0.1819, m6i.xlarge 0.214, c6g.2xlarge 8/16 0.3072, r6g.xlarge 0.2256)
//   instance  730 h x 3 x $0.172       = 2190 h -> $376.68
//   disk      200 GiB x 3 x $0.088     = 600 GiB-month -> $52.80
//   backups   200 x 0.5 x 14 = 1400 GiB-month x $0.023 -> $32.20
//   total                                $461.68
TEST(Cost, FullExamplePlan) {
    const ParseOutcome parsed = ParsePlan(ReadFile(std::string(CS_TEST_DATA) + "/plans/full_example.json"));
    ASSERT_TRUE(parsed.plan.has_value());
    const CostEstimate e = EstimateMonthlyCost(*parsed.plan);
    ASSERT_EQ(e.lines.size(), 3u);
    EXPECT_EQ(e.lines[0].item, "m6g.xlarge (4 vCPU, 16 GiB, arm64) (primary + 2 replicas)");
    EXPECT_EQ(e.lines[0].quantity, 2190);
    EXPECT_EQ(e.lines[0].monthly_usd, 376.68);
    EXPECT_EQ(e.lines[1].quantity, 600);
    EXPECT_EQ(e.lines[1].monthly_usd, 52.80);
    EXPECT_EQ(e.lines[2].quantity, 1400);
    EXPECT_EQ(e.lines[2].monthly_usd, 32.20);
    EXPECT_EQ(FormatUsd(e.total_monthly_usd), "461.68");
    EXPECT_TRUE(e.complete);
    EXPECT_TRUE(Mentions(e, "estimated on m6g.xlarge"));
    EXPECT_TRUE(Mentions(e, "no burstable types in production"));
    EXPECT_TRUE(Mentions(e, "2 replicas"));
}

// An HDD below st1's 125 GiB minimum is billed as 125 GiB: eu-west-1 st1 $0.05 x 125 = $6.25.
TEST(Cost, HddMinimumSize) {
    Plan plan = DefaultPlan();
    plan.cloud.region = "eu-west-1";
    std::get<VmSpec>(plan.components[0].spec).disk = {DiskType::Hdd, 20};
    const CostEstimate e = EstimateMonthlyCost(plan);
    EXPECT_EQ(e.lines[0].monthly_usd, 33.29);  // 730 x 0.0456 = 33.288
    EXPECT_EQ(e.lines[1].item, "EBS st1 125 GiB");
    EXPECT_EQ(e.lines[1].monthly_usd, 6.25);
    EXPECT_TRUE(Mentions(e, "billed as 125 GiB"));
}

TEST(Cost, MissingPriceIsSaidNotInvented) {
    Plan plan = DefaultPlan();
    plan.cloud.region = "eu-west-1";
    // m7g.8xlarge: offered in Ireland, but no source readable offline lists its price there (null)
    std::get<VmSpec>(plan.components[0].spec).hardware.instance_type = "m7g.8xlarge";
    const CostEstimate e = EstimateMonthlyCost(plan);
    EXPECT_FALSE(e.complete);
    EXPECT_FALSE(e.lines[0].unit_price.has_value());
    EXPECT_FALSE(e.lines[0].monthly_usd.has_value());
    EXPECT_TRUE(Mentions(e, "m7g.8xlarge is offered in eu-west-1 but the catalogue has no price"));
    // disk 20 x 0.088 = 1.76; backups 70 x 0.023 = 1.61
    EXPECT_EQ(FormatUsd(e.total_monthly_usd), "3.37");
    EXPECT_NE(FormatCostEstimate(e).find("no price"), std::string::npos);
}

TEST(Cost, UnknownTypeAndLocal) {
    Plan plan = DefaultPlan();
    std::get<VmSpec>(plan.components[0].spec).hardware.instance_type = "x9.huge";
    EXPECT_FALSE(EstimateMonthlyCost(plan).complete);
    plan.cloud = {"local", ""};
    const CostEstimate local = EstimateMonthlyCost(plan);
    EXPECT_TRUE(local.lines.empty());
    EXPECT_EQ(local.total_monthly_usd, 0);
    EXPECT_TRUE(Mentions(local, "no cloud cost"));
    EXPECT_EQ(FormatCostEstimate(local).rfind("total USD per month: 0.00\n", 0), 0u) << FormatCostEstimate(local);  // no empty table
}

TEST(Cost, BackupsOffMeansNoBackupLine) {
    Plan plan = DefaultPlan();
    std::get<PostgresSpec>(plan.components[1].spec).backups.enabled = false;
    const CostEstimate e = EstimateMonthlyCost(plan);
    ASSERT_EQ(e.lines.size(), 2u);
    EXPECT_EQ(FormatUsd(e.total_monthly_usd), "31.97");
}

TEST(Cost, Formatting) {
    EXPECT_EQ(FormatUsd(0), "0.00");
    EXPECT_EQ(FormatUsd(1234.5), "1234.50");
    EXPECT_EQ(FormatUsd(0.005), "0.01");
    EXPECT_EQ(FormatUsd(-2.5), "-2.50");
    EXPECT_EQ(FormatUsd(30.368, 3), "30.368");
    EXPECT_EQ(FormatPrice(0.0416), "0.0416");
    EXPECT_EQ(FormatPrice(0.08925), "0.08925");
    EXPECT_EQ(FormatPrice(0.067006), "0.067006");
    EXPECT_EQ(FormatPrice(0.1), "0.10");
    EXPECT_EQ(FormatPrice(730), "730.00");
}

// The text and JSON forms are what native and wasm builds must agree on byte for byte.
TEST(Cost, TextAndJsonAreStable) {
    const CostEstimate e = EstimateMonthlyCost(DefaultPlan());
    const std::string text = FormatCostEstimate(e);
    EXPECT_NE(text.find("vm-1: t3.medium (2 vCPU, 4 GiB, x86_64)               730  instance-hour      0.0416       30.37\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("total USD per month: 33.58\n"), std::string::npos);
    const auto json = CostEstimateToJson(e);
    EXPECT_EQ(json["total_monthly_usd"].get<double>(), 33.58);
    EXPECT_EQ(json["lines"][0]["unit_price"].get<double>(), 0.0416);
    EXPECT_EQ(json.dump().substr(0, 60), R"({"currency":"USD","total_monthly_usd":33.58,"complete":true,)");
}

}  // namespace
