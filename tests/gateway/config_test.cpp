// Config: defaults, file < environment < flags, and clear errors for bad values.
#include <gtest/gtest.h>

#include <map>

#include "config.hpp"
#include "gateway_fixture.hpp"

namespace gw::test {
namespace {

struct Env {
    std::map<std::string, std::string> vars;
    std::function<const char*(const char*)> Getter() const {
        return [this](const char* name) -> const char* {
            auto it = vars.find(name);
            return it == vars.end() ? nullptr : it->second.c_str();
        };
    }
};

TEST(ConfigTest, DefaultsAreValid) {
    ConfigOutcome out = LoadConfig({}, Env{}.Getter());
    ASSERT_TRUE(out.config) << out.error;
    EXPECT_EQ(out.config->bind, "127.0.0.1");
    EXPECT_EQ(out.config->port, 8080);
    EXPECT_EQ(out.config->data_dir, "./data");
    EXPECT_EQ(out.config->site_dir, "./build/web/site");
    EXPECT_EQ(out.config->max_body_bytes, 1u << 20);
    EXPECT_EQ(out.config->token_lifetime_seconds, 7 * 24 * 3600);
    // Fair use: far above what a real team uses (docs/api.md "Quotas").
    EXPECT_EQ(out.config->max_plans_per_user, 1000);
    EXPECT_EQ(out.config->max_components_per_plan, 500);
    EXPECT_EQ(out.config->max_active_jobs_per_user, 50);
    EXPECT_EQ(out.config->max_local_servers_per_user, 32);
}

TEST(ConfigTest, QuotasComeFromTheFileAndTheEnvironment) {
    TempDir dir;
    const auto file = dir.path() / "quotas.json";
    WriteFile(file, R"({"max_plans_per_user": 7, "max_components_per_plan": 9})");
    ConfigOutcome out = LoadConfig({"--config", file.string()},
                                   Env{{{"CS_MAX_ACTIVE_JOBS_PER_USER", "3"}, {"CS_MAX_LOCAL_SERVERS_PER_USER", "4"}}}.Getter());
    ASSERT_TRUE(out.config) << out.error;
    EXPECT_EQ(out.config->max_plans_per_user, 7);
    EXPECT_EQ(out.config->max_components_per_plan, 9);
    EXPECT_EQ(out.config->max_active_jobs_per_user, 3);
    EXPECT_EQ(out.config->max_local_servers_per_user, 4);
}

TEST(ConfigTest, FileThenEnvironmentThenFlags) {
    TempDir dir;
    const auto file = dir.path() / "custom.json";
    WriteFile(file, R"({"port": 9000, "bind": "127.0.0.2", "site_dir": "/from/file", "max_body_bytes": 4096})");
    Env env{{{"CS_PORT", "9001"}, {"CS_SITE_DIR", "/from/env"}}};
    ConfigOutcome out = LoadConfig({"--config", file.string(), "--port", "9002"}, env.Getter());
    ASSERT_TRUE(out.config) << out.error;
    EXPECT_EQ(out.config->port, 9002);               // flag beats env and file
    EXPECT_EQ(out.config->site_dir, "/from/env");    // env beats file
    EXPECT_EQ(out.config->bind, "127.0.0.2");        // file beats default
    EXPECT_EQ(out.config->max_body_bytes, 4096u);
    EXPECT_EQ(out.source, file.string());
}

TEST(ConfigTest, GatewayJsonInTheDataDirIsReadWhenPresent) {
    TempDir dir;
    WriteFile(dir.path() / "gateway.json", R"({"port": 0})");
    ConfigOutcome out = LoadConfig({"--data-dir=" + dir.path().string()}, Env{}.Getter());
    ASSERT_TRUE(out.config) << out.error;
    EXPECT_EQ(out.config->port, 0);
    EXPECT_EQ(out.config->data_dir, dir.path().string());
}

TEST(ConfigTest, BadValuesAreClearErrors) {
    TempDir dir;
    WriteFile(dir.path() / "typo.json", R"({"prot": 1})");
    WriteFile(dir.path() / "broken.json", R"({"port": )");
    WriteFile(dir.path() / "huge.json", R"({"port": 1e999})");  // escaped as an uncaught out_of_range (issue 12)
    struct Case {
        std::vector<std::string> args;
        std::map<std::string, std::string> env;
        std::string mentions;
    };
    const std::vector<Case> cases = {
        {{"--port", "http"}, {}, "port"},
        {{"--port", "70000"}, {}, "port"},
        {{}, {{"CS_PORT", "-1"}}, "CS_PORT"},
        {{"--bogus"}, {}, "--bogus"},
        {{"--port"}, {}, "needs a value"},
        {{"--max-body-bytes", "10"}, {}, "max_body_bytes"},
        {{}, {{"CS_MAX_PLANS_PER_USER", "0"}}, "max_plans_per_user must be between 1 and 1000000"},
        {{}, {{"CS_MAX_LOCAL_SERVERS_PER_USER", "2000000"}}, "max_local_servers_per_user"},
        {{}, {{"CS_MAX_ACTIVE_JOBS_PER_USER", "many"}}, "CS_MAX_ACTIVE_JOBS_PER_USER"},
        {{"--config", (dir.path() / "typo.json").string()}, {}, "unknown key \"prot\""},
        {{"--config", (dir.path() / "broken.json").string()}, {}, "not valid JSON"},
        {{"--config", (dir.path() / "huge.json").string()}, {}, "/port"},
        {{"--config", (dir.path() / "absent.json").string()}, {}, "cannot read"},
    };
    for (const Case& c : cases) {
        ConfigOutcome out = LoadConfig(c.args, Env{c.env}.Getter());
        EXPECT_FALSE(out.config) << c.mentions;
        EXPECT_NE(out.error.find(c.mentions), std::string::npos) << out.error;
    }
}

TEST(ConfigTest, HelpIsNotAnError) {
    ConfigOutcome out = LoadConfig({"--help"}, Env{}.Getter());
    EXPECT_TRUE(out.help);
    EXPECT_NE(Usage().find("--data-dir"), std::string::npos);
}

}  // namespace
}  // namespace gw::test
