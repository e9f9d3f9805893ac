#include "editor/previews.hpp"

#include <cstdio>

#include "plan/catalog.hpp"
#include "plan/cost.hpp"
#include "plan/json.hpp"
#include "plan/server_config.hpp"
#include "plan/transform.hpp"

namespace ui::editor {
namespace {

std::string FileStem(const plan::Plan& plan) {
    std::string stem;
    for (char c : plan.name) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (c >= 'A' && c <= 'Z') {
            stem += static_cast<char>(c - 'A' + 'a');
        } else if (keep) {
            stem += c;
        } else if (!stem.empty() && stem.back() != '-') {
            stem += '-';
        }
    }
    while (!stem.empty() && stem.back() == '-') stem.pop_back();
    return stem.empty() ? "plan" : stem;
}

std::string ErrorsText(const plan::Diagnostics& diagnostics) {
    std::string text = "Nothing to show until these problems are fixed:\n\n";
    for (const plan::Diagnostic& d : diagnostics) {
        if (d.severity == plan::Severity::Error) text += "  " + (d.path.empty() ? "/" : d.path) + ": " + d.message + "\n";
    }
    return text;
}

Preview Template(const plan::Plan& plan, plan::Target target, std::string title, std::string_view provider) {
    Preview preview{std::move(title), {}, {}, {}};
    if (plan.cloud.provider == "local") {
        preview.text = "This plan runs on the gateway's own machine (cloud \"local\"): no " + preview.title +
                       " document is needed. Set the plan's cloud to \"" + std::string(provider) + "\" to see one.";
        return preview;
    }
    if (plan.cloud.provider != provider) {
        preview.text = "This plan runs on \"" + plan.cloud.provider + "\". Set the plan's cloud to \"" +
                       std::string(provider) + "\" (and a region there) to see its " + preview.title + " document.";
        return preview;
    }
    const plan::TransformResult result = plan::Transform(plan, target);
    if (result.documents.empty()) {
        preview.text = ErrorsText(result.diagnostics);
        return preview;
    }
    // One document per plan for every target today; join defensively if that ever changes.
    preview.filename = result.documents.front().filename;
    preview.media_type = result.documents.front().media_type;
    for (const plan::Document& document : result.documents) preview.text += document.text;
    return preview;
}

// "2 vCPU, 4 GiB"
std::string LocalSizeText(const plan::LocalSize& size) {
    char text[64];
    std::snprintf(text, sizeof text, "%d vCPU, %g GiB", size.vcpus, size.memory_gib);
    return text;
}

Preview PostgresConf(const plan::Plan& plan) {
    Preview preview{"postgresql.conf", FileStem(plan) + ".postgresql.conf", "text/plain", {}};
    for (std::size_t i = 0; i < plan.components.size(); ++i) {
        const plan::Component& component = plan.components[i];
        const auto* pg = std::get_if<plan::PostgresSpec>(&component.spec);
        if (!pg) continue;
        preview.text += "# ---- " + component.id + " (" + component.name + ") ----\n";
        const plan::Component* host = plan.Find(pg->host);
        const auto* vm = host ? std::get_if<plan::VmSpec>(&host->spec) : nullptr;
        if (!vm) {
            preview.text += "# Not tuned yet: put this database on a VM (drop it onto one on the canvas).\n\n";
            continue;
        }
        plan::HostFacts facts;
        facts.disk = vm->disk.type;
        if (plan.cloud.provider == "local") {
            // The gateway's own machine: tuned for what the VM asks, as the local target does (which also caps
            // it at what the machine has, unknown here).
            if (const auto size = plan::LocalVmSize(*vm)) {
                facts.memory_kb = static_cast<std::int64_t>(size->memory_gib * 1024 * 1024);
                facts.vcpus = size->vcpus;
                preview.text += "# Runs on the gateway's own machine: tuned for " + LocalSizeText(*size) +
                                " of it (the gateway uses less if the machine has less).\n";
            }
        } else if (const plan::InstanceType* type = plan::ResolveInstance(plan, *vm)) {
            facts.memory_kb = static_cast<std::int64_t>(type->memory_gib * 1024 * 1024);
            facts.vcpus = type->vcpus;
        } else if (vm->hardware.memory_gib > 0) {
            // No catalogue type: tune for the size the user asked for.
            facts.memory_kb = static_cast<std::int64_t>(vm->hardware.memory_gib * 1024 * 1024);
            facts.vcpus = vm->hardware.vcpus;
        }
        if (facts.memory_kb <= 0) {
            preview.text += "# Not tuned yet: give " + host->id + " a known instance type or vCPU + RAM.\n\n";
            continue;
        }
        const plan::ServerConfig config = plan::BuildServerConfig(plan, i, facts);
        preview.text += plan::RenderServerConf(config);
        for (const plan::Diagnostic& warning : config.warnings) preview.text += "# WARNING: " + warning.message + "\n";
        preview.text += "\n";
    }
    if (preview.text.empty()) {
        preview.filename.clear();
        preview.text = "No PostgreSQL in this plan yet: drag one from the palette onto the canvas.";
    }
    return preview;
}

}  // namespace

std::string_view PreviewId(PreviewKind kind) {
    switch (kind) {
        case PreviewKind::CsJson: return "cs-json";
        case PreviewKind::Aws: return "aws";
        case PreviewKind::Azure: return "azure";
        case PreviewKind::Gcp: return "gcp";
        case PreviewKind::PostgresConf: return "postgresql-conf";
        case PreviewKind::Cost: return "cost";
    }
    return "unknown";
}

Preview BuildPreview(const plan::Plan& plan, PreviewKind kind) {
    switch (kind) {
        case PreviewKind::CsJson:
            return {"cs-json", FileStem(plan) + ".cs.json", "application/json", plan::DumpPlan(plan)};
        case PreviewKind::Aws: return Template(plan, plan::Target::AwsCloudFormation, "AWS CloudFormation", "aws");
        case PreviewKind::Azure: return Template(plan, plan::Target::AzureArm, "Azure ARM", "azure");
        case PreviewKind::Gcp: return Template(plan, plan::Target::GcpTerraform, "GCP Terraform", "gcp");
        case PreviewKind::PostgresConf: return PostgresConf(plan);
        case PreviewKind::Cost: {
            const plan::CostEstimate estimate = plan::EstimateMonthlyCost(plan);
            return {"Monthly cost", FileStem(plan) + ".cost.txt", "text/plain", plan::FormatCostEstimate(estimate)};
        }
    }
    return {};
}

}  // namespace ui::editor
