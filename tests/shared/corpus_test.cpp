// The plan corpus: every tests/data/corpus/<name>.json renders to exactly the bytes of
// tests/data/golden/corpus/<name>.cloudformation.json (rewritten only by scripts/regen_corpus_golden), and
// every plan in tests/data/corpus/invalid/ is refused. The directory is listed at run time, so a new plan
// needs no code; under node the wasm binary reads the real files (NODERAWFS).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "plan/transform.hpp"
#include "plan/validate.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(CS_TEST_DATA) / "corpus";
const fs::path kGolden = fs::path(CS_TEST_DATA) / "golden" / "corpus";

std::string ReadFile(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream s;
    s << file.rdbuf();
    return s.str();
}

// The *.json files directly in `dir`, sorted by name so failures come out in a stable order.
std::vector<fs::path> JsonFiles(const fs::path& dir) {
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

// What `cs render` does: CheckPlan, then Transform when the plan was readable.
plan::TransformResult Render(const std::string& text) {
    const plan::ParseOutcome parsed = plan::CheckPlan(text);
    if (!parsed.plan || plan::HasErrors(parsed.diagnostics)) return {{}, parsed.diagnostics};
    return plan::Transform(*parsed.plan, plan::Target::AwsCloudFormation);
}

TEST(Corpus, IsLargeEnoughAndEveryPlanHasAGolden) {
    const auto plans = JsonFiles(kCorpus);
    EXPECT_GE(plans.size(), 30u) << "the corpus in " << kCorpus << " has shrunk below 30 plans";
    EXPECT_GE(JsonFiles(kCorpus / "invalid").size(), 5u);
    for (const fs::path& p : plans) {
        EXPECT_TRUE(fs::exists(kGolden / (p.stem().string() + ".cloudformation.json")))
            << p.filename() << " has no golden: run scripts/regen_corpus_golden";
    }
    for (const fs::path& g : JsonFiles(kGolden)) {
        const std::string name = g.filename().string();
        const std::string stem = name.substr(0, name.size() - std::string(".cloudformation.json").size());
        EXPECT_TRUE(fs::exists(kCorpus / (stem + ".json"))) << name << " has no plan: run scripts/regen_corpus_golden";
    }
}

TEST(Corpus, EveryPlanRendersItsGoldenTemplate) {
    for (const fs::path& p : JsonFiles(kCorpus)) {
        SCOPED_TRACE(p.filename().string());
        const plan::TransformResult r = Render(ReadFile(p));
        ASSERT_EQ(r.documents.size(), 1u) << plan::FormatDiagnostics(r.diagnostics);
        const std::string golden = ReadFile(kGolden / (p.stem().string() + ".cloudformation.json"));
        EXPECT_TRUE(r.documents[0].text == golden)
            << "differs from its golden (" << r.documents[0].text.size() << " vs " << golden.size()
            << " bytes): run scripts/regen_corpus_golden and review the diff";
    }
}

TEST(Corpus, EveryInvalidPlanIsRefusedWithAnError) {
    // The file name says why the plan is invalid (cs-json refuses unknown fields, so no "_comment").
    for (const fs::path& p : JsonFiles(kCorpus / "invalid")) {
        SCOPED_TRACE(p.filename().string());
        const plan::TransformResult r = Render(ReadFile(p));
        EXPECT_TRUE(r.documents.empty());
        EXPECT_TRUE(plan::HasErrors(r.diagnostics)) << plan::FormatDiagnostics(r.diagnostics);
    }
}

}  // namespace
