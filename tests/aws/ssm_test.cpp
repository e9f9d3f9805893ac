// SSM's answers read by ssm::ReadCommandId / ReadCommandInvocation: the fields when the answer has the
// documented shape, and "absent" (never an exception) when it does not. nlohmann's value() threw type_error
// on an answer that is not an object or a field of another type, out of the deploy worker (found by
// fuzz/fuzz_aws_json.cpp; the reproducer is fuzz/regressions/aws_json/).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "aws/ssm.hpp"

namespace gw::aws::test {
namespace {

using nlohmann::json;

TEST(SsmReaders, ReadTheDocumentedShape) {
    EXPECT_EQ(ssm::ReadCommandId(json::parse(R"({"Command": {"CommandId": "0831e1a8", "Status": "Pending"}})")),
              "0831e1a8");
    const ssm::CommandInvocation c = ssm::ReadCommandInvocation(json::parse(
        R"({"Status": "Success", "StatusDetails": "Success", "ResponseCode": 0, "StandardOutputContent": "ok\n",
            "StandardErrorContent": "warn"})"));
    EXPECT_EQ(c.status, "Success");
    EXPECT_EQ(c.status_details, "Success");
    EXPECT_EQ(c.response_code, 0);
    EXPECT_EQ(c.standard_output, "ok\n");
    EXPECT_EQ(c.standard_error, "warn");
}

TEST(SsmReaders, AnswersOfAnotherShapeReadAsAbsentFields) {
    for (const char* text : {"22", "\"x\"", "null", "[]", R"({"Command": 5})", R"({"Command": {"CommandId": 7}})",
                             R"({"Command": []})"}) {
        std::string id = "unset";
        EXPECT_NO_THROW(id = ssm::ReadCommandId(json::parse(text))) << text;
        EXPECT_EQ(id, "") << text;
    }
    for (const char* text : {"22", "[1]", R"({"Status": 5, "StatusDetails": [], "ResponseCode": "0",
                                           "StandardOutputContent": {}, "StandardErrorContent": false})",
                             R"({"ResponseCode": 1.5})", R"({"ResponseCode": 99999999999})",
                             R"({"ResponseCode": 18446744073709551615})"}) {
        ssm::CommandInvocation c;
        EXPECT_NO_THROW(c = ssm::ReadCommandInvocation(json::parse(text))) << text;
        EXPECT_EQ(c.status, "") << text;
        EXPECT_EQ(c.response_code, -1) << text;
        EXPECT_EQ(c.standard_output, "") << text;
    }
}

}  // namespace
}  // namespace gw::aws::test
