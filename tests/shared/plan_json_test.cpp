// cs-json reading and writing: round trips, the short body, and structural errors with their paths.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "plan/json.hpp"
#include "plan/validate.hpp"

namespace {

using plan::Diagnostic;
using plan::ParseOutcome;

std::string ReadData(const std::string& name) {
    std::ifstream file(std::string(CS_TEST_DATA) + "/" + name, std::ios::binary);
    EXPECT_TRUE(file) << "missing test data " << name;
    std::ostringstream s;
    s << file.rdbuf();
    return s.str();
}

const Diagnostic* FindCode(const ParseOutcome& outcome, const std::string& code) {
    for (const Diagnostic& d : outcome.diagnostics) {
        if (d.code == code) return &d;
    }
    return nullptr;
}

TEST(PlanJson, DefaultPlanRoundTripsByteForByte) {
    const plan::Plan original = plan::DefaultPlan("orders-db");
    const std::string text = plan::DumpPlan(original);
    const ParseOutcome back = plan::ParsePlan(text);
    ASSERT_TRUE(back.plan.has_value());
    EXPECT_TRUE(back.diagnostics.empty()) << plan::FormatDiagnostics(back.diagnostics);
    EXPECT_EQ(plan::DumpPlan(*back.plan), text);
}

TEST(PlanJson, FullExampleMatchesItsCanonicalForm) {
    // The example in docs/plan-format.md is written in canonical form, so normalising it changes nothing.
    const std::string text = ReadData("plans/full_example.json");
    const ParseOutcome outcome = plan::CheckPlan(text);
    ASSERT_TRUE(outcome.plan.has_value());
    EXPECT_TRUE(outcome.diagnostics.empty()) << plan::FormatDiagnostics(outcome.diagnostics);
    EXPECT_EQ(plan::DumpPlan(*outcome.plan), text);
    const plan::Component* db = outcome.plan->Find("pg-main");
    ASSERT_NE(db, nullptr);
    const auto& pg = std::get<plan::PostgresSpec>(db->spec);
    EXPECT_EQ(pg.topology, plan::Topology::PrimaryReplicas);
    EXPECT_EQ(pg.replicas, 2);
    EXPECT_EQ(pg.workload, plan::Workload::Oltp);
}

TEST(PlanJson, ShortBodyIsNormalisedToOneVmHostingPostgres) {
    const ParseOutcome outcome = plan::CheckPlan(R"({
        "os": "linux",
        "hardware": {"instance_type": "t3.medium", "storage": "ssd", "ami": "ami-0abcdef1234567890"},
        "db": {"flavor": "pg", "version": "15", "backup": "needed"}})");
    ASSERT_TRUE(outcome.plan.has_value());
    EXPECT_TRUE(outcome.short_body);
    EXPECT_FALSE(plan::HasErrors(outcome.diagnostics)) << plan::FormatDiagnostics(outcome.diagnostics);
    ASSERT_EQ(outcome.plan->components.size(), 2u);
    const auto& vm = std::get<plan::VmSpec>(outcome.plan->components[0].spec);
    const auto& pg = std::get<plan::PostgresSpec>(outcome.plan->components[1].spec);
    EXPECT_EQ(vm.os.distribution, "amazon-linux");
    EXPECT_EQ(vm.os.version, "2023");
    EXPECT_EQ(vm.hardware.instance_type, "t3.medium");
    EXPECT_EQ(vm.disk.type, plan::DiskType::Ssd);
    EXPECT_EQ(vm.image_id, "ami-0abcdef1234567890");
    EXPECT_EQ(pg.host, outcome.plan->components[0].id);
    EXPECT_EQ(pg.version, "15");
    EXPECT_TRUE(pg.backups.enabled);
}

TEST(PlanJson, ShortBodyProblemsPointIntoTheShortBody) {
    const ParseOutcome outcome = plan::CheckPlan(R"({"os": "windows",
        "hardware": {"instance_type": "t3.medium", "storage": "tape", "disk_gib": 2},
        "db": {"flavor": "mysql", "version": "9", "backup": "maybe"}})");
    ASSERT_TRUE(outcome.plan.has_value());
    auto path_of = [&](const std::string& code) {
        const Diagnostic* d = FindCode(outcome, code);
        return d ? d->path : std::string("<no " + code + ">");
    };
    EXPECT_EQ(path_of("os.unsupported"), "/os");
    EXPECT_EQ(path_of("db.flavor_unsupported"), "/db/flavor");
    EXPECT_EQ(path_of("disk.size_out_of_range"), "/hardware/disk_gib");
    EXPECT_EQ(path_of("postgres.version_unsupported"), "/db/version");
    // Both the unknown storage and the unknown backup word are value.unknown; check both paths appear.
    int unknown_values = 0;
    for (const Diagnostic& d : outcome.diagnostics) {
        if (d.code == "value.unknown") {
            EXPECT_TRUE(d.path == "/hardware/storage" || d.path == "/db/backup") << d.path;
            ++unknown_values;
        }
    }
    EXPECT_EQ(unknown_values, 2);
}

TEST(PlanJson, MalformedJsonSaysWhere) {
    const ParseOutcome outcome = plan::ParsePlan(R"({"name": "x",, })");  // 14th byte is the 2nd comma
    EXPECT_FALSE(outcome.plan.has_value());
    ASSERT_EQ(outcome.diagnostics.size(), 1u);
    EXPECT_EQ(outcome.diagnostics[0].code, "json.syntax");
    EXPECT_NE(outcome.diagnostics[0].message.find("byte 14"), std::string::npos) << outcome.diagnostics[0].message;
}

// Issue 12, item 11: a number beyond a double escaped ParsePlan as nlohmann's out_of_range 406 (the gateway
// answered 500, `cs validate` aborted, the browser's wasm aborted).
TEST(PlanJson, NumberTooLargeIsADiagnosticNamingTheField) {
    const ParseOutcome outcome = plan::CheckPlan(R"({"name": 1e999})");
    EXPECT_FALSE(outcome.plan.has_value());
    ASSERT_EQ(outcome.diagnostics.size(), 1u);
    const Diagnostic& d = outcome.diagnostics[0];
    EXPECT_EQ(d.code, "json.number_too_large");
    EXPECT_EQ(d.path, "/name");
    EXPECT_NE(d.message.find("1e999"), std::string::npos) << d.message;
    EXPECT_NE(d.message.find("byte 10"), std::string::npos) << d.message;  // the number's first byte, from 1
}

TEST(PlanJson, NumberTooLargeAnywhereIsCaught) {
    struct Case {
        const char* text;
        const char* path;
    };
    for (const Case& c : {Case{"222e2222", ""}, Case{"-1E+400", ""}, Case{"[0, 1e999]", "/1"},
                          Case{R"({"components": [{"kind": "vm"}, {"kind": "vm", "position": {"x": -9e9999}}]})",
                               "/components/1/position/x"},
                          Case{R"({"os": "linux", "hardware": {"vcpus": 1e309}})", "/hardware/vcpus"},
                          Case{R"({"a/b~c": 1e999})", "/a~1b~0c"}}) {
        const ParseOutcome outcome = plan::CheckPlan(c.text);
        EXPECT_FALSE(outcome.plan.has_value()) << c.text;
        ASSERT_EQ(outcome.diagnostics.size(), 1u) << c.text;
        EXPECT_EQ(outcome.diagnostics[0].code, "json.number_too_large") << c.text;
        EXPECT_EQ(outcome.diagnostics[0].path, c.path) << c.text;
    }
    // The largest doubles still read; validation, not the reader, says whether they make sense.
    const ParseOutcome big = plan::CheckPlan(R"({"name": "x", "components": [], "revision": 1.7e308})");
    ASSERT_FALSE(big.diagnostics.empty());
    EXPECT_EQ(big.diagnostics[0].code, "value.out_of_range");
}

TEST(PlanJson, NonObjectDocumentIsRejected) {
    for (const char* text : {"[]", "42", "\"plan\"", "null"}) {
        const ParseOutcome outcome = plan::ParsePlan(text);
        EXPECT_FALSE(outcome.plan.has_value()) << text;
        ASSERT_EQ(outcome.diagnostics.size(), 1u) << text;
        EXPECT_EQ(outcome.diagnostics[0].code, "type.mismatch");
        EXPECT_EQ(outcome.diagnostics[0].path, "");
    }
}

TEST(PlanJson, EveryWrongTypeIsReportedWithItsPath) {
    const ParseOutcome outcome = plan::ParsePlan(R"({"name": 7, "revision": "3",
        "components": [{"id": "vm-1", "kind": "vm", "disk": {"size_gib": "big"}, "position": {"x": "left"}},
                       {"id": "pg-1", "kind": "postgres", "host": "vm-1", "max_connections": 10.5,
                        "network": {"allowed_cidrs": ["10.0.0.0/8", 5]}}]})");
    ASSERT_TRUE(outcome.plan.has_value());
    std::vector<std::string> paths;
    for (const Diagnostic& d : outcome.diagnostics) {
        EXPECT_EQ(d.code, "type.mismatch") << d.path << " " << d.message;
        paths.push_back(d.path);
    }
    const std::vector<std::string> expected{"/name",
                                            "/revision",
                                            "/components/0/position/x",
                                            "/components/0/disk/size_gib",
                                            "/components/1/max_connections",
                                            "/components/1/network/allowed_cidrs/1"};
    EXPECT_EQ(paths, expected);
}

TEST(PlanJson, UnknownFieldsAreNamedWithASuggestion) {
    const ParseOutcome outcome = plan::ParsePlan(R"({"name": "x", "enviroment": "staging",
        "components": [{"id": "vm-1", "kind": "vm", "disk": {"size_gb": 50}}]})");
    ASSERT_TRUE(outcome.plan.has_value());
    ASSERT_EQ(outcome.diagnostics.size(), 2u) << plan::FormatDiagnostics(outcome.diagnostics);
    EXPECT_EQ(outcome.diagnostics[0].path, "/components/0/disk/size_gb");
    EXPECT_NE(outcome.diagnostics[0].message.find("\"size_gib\""), std::string::npos);
    EXPECT_EQ(outcome.diagnostics[1].path, "/enviroment");
    EXPECT_NE(outcome.diagnostics[1].message.find("\"environment\""), std::string::npos);
}

TEST(PlanJson, UnknownComponentKindIsAnErrorAndTheComponentIsDropped) {
    const ParseOutcome outcome = plan::ParsePlan(R"({"components": [{"id": "q", "kind": "redis"}, {"id": "r"}]})");
    ASSERT_TRUE(outcome.plan.has_value());
    EXPECT_TRUE(outcome.plan->components.empty());
    ASSERT_NE(FindCode(outcome, "value.unknown"), nullptr);
    EXPECT_EQ(FindCode(outcome, "value.unknown")->path, "/components/0/kind");
    ASSERT_NE(FindCode(outcome, "component.kind_required"), nullptr);
    EXPECT_EQ(FindCode(outcome, "component.kind_required")->path, "/components/1");
}

TEST(PlanJson, NamesAreKeptVerbatim) {
    plan::Plan p = plan::DefaultPlan("Robert'); DROP TABLE plans;-- \"ünïcødé\" 🐘 / ~");
    const ParseOutcome back = plan::ParsePlan(plan::DumpPlan(p));
    ASSERT_TRUE(back.plan.has_value());
    EXPECT_EQ(back.plan->name, p.name);
}

TEST(PlanJson, NewerSchemaVersionIsRefused) {
    const ParseOutcome outcome = plan::ParsePlan(R"({"schema_version": 2, "name": "x"})");
    ASSERT_NE(FindCode(outcome, "plan.schema_unsupported"), nullptr);
}

}  // namespace

namespace {

TEST(PlanJson, CheckPlanDocumentAgreesWithCheckPlanOnText) {
    const std::string text = R"({"os": "ubuntu", "hardware": {"instance_type": "t3.large", "disk_gib": 2},
                                 "db": {"version": "16"}})";
    const plan::ParseOutcome from_text = plan::CheckPlan(text);
    const plan::ParseOutcome from_document = plan::CheckPlanDocument(nlohmann::json::parse(text));
    ASSERT_TRUE(from_text.plan && from_document.plan);
    EXPECT_EQ(plan::DumpPlan(*from_document.plan), plan::DumpPlan(*from_text.plan));
    EXPECT_EQ(plan::FormatDiagnostics(from_document.diagnostics), plan::FormatDiagnostics(from_text.diagnostics));
    ASSERT_EQ(from_document.diagnostics.size(), 1u);
    EXPECT_EQ(from_document.diagnostics[0].path, "/hardware/disk_gib");  // short-body paths, as from text
}

}  // namespace
