#pragma once
// What the editor's preview tabs show, computed in the browser by plan_core exactly as the gateway
// would: the cs-json, the cloud's template (AWS / Azure / GCP), the tuned postgresql.conf of every
// database with the reason for each value, and the monthly cost estimate. No ImGui: unit-tested natively.
#include <string>
#include <string_view>
#include <vector>

#include "plan/plan.hpp"

namespace ui::editor {

enum class PreviewKind { CsJson, Aws, Azure, Gcp, PostgresConf, Cost };

inline constexpr PreviewKind kPreviewKinds[] = {PreviewKind::CsJson, PreviewKind::Aws,          PreviewKind::Azure,
                                                PreviewKind::Gcp,    PreviewKind::PostgresConf, PreviewKind::Cost};

struct Preview {
    std::string title;       // tab label: "cs-json", "AWS", "postgresql.conf", ...
    std::string filename;    // download name, e.g. "orders-db.cloudformation.json"; "" when nothing to download
    std::string media_type;  // e.g. "application/json"
    std::string text;        // the document, or an explanation of why there is none (then filename is "")
};

// Stable short name for probe ids and tests: "cs-json", "aws", "azure", "gcp", "postgresql-conf", "cost".
std::string_view PreviewId(PreviewKind kind);

// Renders one preview of `plan`. A template for a cloud other than the plan's, or of a plan with errors,
// gives an explanation that says what to change instead of a document.
Preview BuildPreview(const plan::Plan& plan, PreviewKind kind);

}  // namespace ui::editor
