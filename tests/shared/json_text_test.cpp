// plan::ReadJsonText: every malformed text is an error value with the byte and the JSON pointer; nothing throws.
#include <gtest/gtest.h>

#include <string>

#include "plan/json_text.hpp"

namespace {

using plan::ReadJsonText;

TEST(JsonText, ReadsAValidDocument) {
    const plan::JsonText read = ReadJsonText(R"( {"a": [1, 2.5, "x", true, null], "b": {}} )");
    ASSERT_FALSE(read.error.has_value()) << read.error->message;
    EXPECT_EQ(read.value["a"][1], 2.5);
    EXPECT_TRUE(read.value["b"].is_object());
}

TEST(JsonText, SyntaxErrorGivesTheOffendingByteAndWhereInTheDocument) {
    const plan::JsonText read = ReadJsonText(R"({"name": "x",, })");
    ASSERT_TRUE(read.error.has_value());
    EXPECT_EQ(read.error->code, "json.syntax");
    EXPECT_EQ(read.error->offset, 13u);  // the second comma, counted from 0
    EXPECT_EQ(read.error->pointer, "");  // between members: the document itself
    EXPECT_NE(read.error->message.find("byte 14"), std::string::npos) << read.error->message;
    EXPECT_TRUE(read.value.is_null());

    const plan::JsonText nested = ReadJsonText(R"({"a": {"b": [1, 2, tru]}})");
    ASSERT_TRUE(nested.error.has_value());
    EXPECT_EQ(nested.error->pointer, "/a/b/2");
}

TEST(JsonText, NumberTooLargePointsAtItsFirstByte) {
    const plan::JsonText read = ReadJsonText(R"({"x": [1, {"y": 1e999}]})");
    ASSERT_TRUE(read.error.has_value());
    EXPECT_EQ(read.error->code, "json.number_too_large");
    EXPECT_EQ(read.error->pointer, "/x/1/y");
    EXPECT_EQ(read.error->offset, 16u);
    EXPECT_TRUE(read.value.is_null());
}

TEST(JsonText, NeverThrowsOnHostileText) {
    const std::string cases[] = {"",          "   ",        "{",           "[1,",       "\"\\u",        "\"\\ud800\"",
                                 "1e999",     "-1e999",     "1E+99999999", "[1e999]",   "{\"a\":1} x", "nul",
                                 "\"\xff\"",  "{\"\xc3\":1}", "[[[[[[",    "0123",      "-",           "1.",
                                 "1e",        "\x00",       "{\"a\" 1}",   "[1 2]",     "{,}",         "{\"a\":}"};
    for (const std::string& text : cases) {
        plan::JsonText read;
        EXPECT_NO_THROW(read = ReadJsonText(text)) << text;
        EXPECT_TRUE(read.error.has_value()) << text;
        EXPECT_FALSE(read.error->message.empty()) << text;
        EXPECT_LE(read.error->offset, text.size()) << text;
    }
}

TEST(JsonText, LongTokensAreShortenedInTheMessage) {
    const std::string text = "[1" + std::string(5000, '0') + "e999]";
    const plan::JsonText read = ReadJsonText(text);
    ASSERT_TRUE(read.error.has_value());
    EXPECT_EQ(read.error->code, "json.number_too_large");
    EXPECT_EQ(read.error->offset, 1u);
    EXPECT_LT(read.error->message.size(), 400u);
}

}  // namespace
