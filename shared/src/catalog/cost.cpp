// Monthly cost estimate. Money is counted in whole cents (integers) so the lines add up to the total
// exactly and the output is byte-identical on every platform.
#include "plan/cost.hpp"

#include <cmath>
#include <cstdint>
#include <map>

#include "catalog/catalog_internal.hpp"
#include "plan/catalog.hpp"

namespace plan {
namespace {

using catalog_internal::FindStorage;

// Rounds half away from zero to an integer number of 10^-decimals units.
std::int64_t Scaled(double value, int decimals) { return std::llround(value * std::pow(10.0, decimals)); }

std::string Fixed(std::int64_t scaled, int decimals) {
    const bool negative = scaled < 0;
    std::string digits = std::to_string(negative ? -scaled : scaled);
    if (decimals > 0) {
        if (digits.size() <= static_cast<std::size_t>(decimals)) digits.insert(0, decimals + 1 - digits.size(), '0');
        digits.insert(digits.size() - decimals, ".");
    }
    return (negative ? "-" : "") + digits;
}

std::string Quantity(double value) {
    // Quantities are whole hours or GiB except for backup sizes; one decimal is enough for those.
    const std::int64_t tenths = Scaled(value, 1);
    return tenths % 10 == 0 ? std::to_string(tenths / 10) : Fixed(tenths, 1);
}

std::string MemoryText(double gib) { return Quantity(gib); }

// PostgreSQL hosted on each VM (by VM id): its spec, for replicas and backups.
std::map<std::string, const PostgresSpec*> DatabasesByHost(const Plan& plan) {
    std::map<std::string, const PostgresSpec*> hosted;
    for (const Component& c : plan.components) {
        if (const auto* pg = std::get_if<PostgresSpec>(&c.spec)) hosted.emplace(pg->host, pg);
    }
    return hosted;
}

int Replicas(const PostgresSpec* pg) {
    return pg && pg->topology == Topology::PrimaryReplicas && pg->replicas > 0 ? pg->replicas : 0;
}

struct Builder {
    const Plan& plan;
    CostEstimate out;
    std::int64_t total_cents = 0;

    void Line(std::string component, std::string item, double quantity, std::string unit, std::optional<double> price) {
        CostLine line{std::move(component), std::move(item), quantity, std::move(unit), price, std::nullopt};
        if (price) {
            const std::int64_t cents = Scaled(quantity * *price, 2);
            line.monthly_usd = static_cast<double>(cents) / 100;
            total_cents += cents;
        } else {
            out.complete = false;
        }
        out.lines.push_back(std::move(line));
    }
    void Assume(std::string text) { out.assumptions.push_back(std::move(text)); }
};

void AddVm(Builder& b, const Component& comp, const VmSpec& vm, const PostgresSpec* pg) {
    const std::string& cloud = b.plan.cloud.provider;
    const std::string& region = b.plan.cloud.region;
    const int copies = 1 + Replicas(pg);
    const std::string copies_note = copies > 1 ? " (primary + " + std::to_string(copies - 1) + " replicas)" : "";

    const InstanceType* type = ResolveInstance(b.plan, vm);
    if (type == nullptr) {
        const std::string asked = vm.hardware.instance_type.empty()
                                      ? std::to_string(vm.hardware.vcpus) + " vCPU / " + MemoryText(vm.hardware.memory_gib) +
                                            " GiB"
                                      : vm.hardware.instance_type;
        b.Line(comp.id, asked + copies_note, kHoursPerMonth * copies, "instance-hour", std::nullopt);
        b.Assume(comp.id + ": no catalogue type for " + asked + " in " + region + ", so its instance cost is not included.");
    } else {
        const auto price = HourlyPrice(*type, region);
        b.Line(comp.id,
               type->name + " (" + std::to_string(type->vcpus) + " vCPU, " + MemoryText(type->memory_gib) + " GiB, " +
                   std::string(ToString(type->arch)) + ")" + copies_note,
               kHoursPerMonth * copies, "instance-hour", price);
        if (vm.hardware.instance_type.empty()) {
            b.Assume(comp.id + ": sized by " + std::to_string(vm.hardware.vcpus) + " vCPU / " +
                     MemoryText(vm.hardware.memory_gib) + " GiB; estimated on " + type->name +
                     ", the cheapest catalogue type that fits" +
                     (b.plan.environment == Environment::Production ? " (no burstable types in production)." : "."));
        }
        if (!price) {
            b.Assume(comp.id + ": " + type->name + " is offered in " + region +
                     " but the catalogue has no price for it there; its instance cost is not included.");
        }
    }

    const char* kind = vm.disk.type == DiskType::Hdd ? "hdd" : "ssd";
    const catalog_internal::StoragePrice* disk = FindStorage(cloud, kind);
    int billed = vm.disk.size_gib;
    std::optional<double> disk_price;
    std::string product = std::string(kind == std::string_view("hdd") ? "HDD" : "SSD") + " disk";
    if (disk) {
        product = disk->product;
        if (billed < disk->min_size_gib) {
            b.Assume(comp.id + ": " + disk->product + " volumes are at least " + std::to_string(disk->min_size_gib) +
                     " GiB, so the " + std::to_string(vm.disk.size_gib) + " GiB disk is billed as " +
                     std::to_string(disk->min_size_gib) + " GiB.");
            billed = disk->min_size_gib;
        }
        const auto it = disk->prices.find(region);
        if (it != disk->prices.end()) disk_price = it->second;
    }
    b.Line(comp.id, product + " " + std::to_string(billed) + " GiB" + copies_note, double(billed) * copies, "GiB-month",
           disk_price);
    if (!disk_price) b.Assume(comp.id + ": no " + product + " price for " + region + "; the disk cost is not included.");

    if (pg && pg->backups.enabled) {
        const catalog_internal::StoragePrice* store = FindStorage(cloud, "object");
        const double stored = vm.disk.size_gib * kBackupFillFactor * pg->backups.retention_days;
        std::optional<double> price;
        if (store) {
            const auto it = store->prices.find(region);
            if (it != store->prices.end()) price = it->second;
        }
        const std::string name = store ? store->product : "object storage";
        b.Line(comp.id, "backups in " + name + " (" + std::to_string(pg->backups.retention_days) + " daily copies)", stored,
               "GiB-month", price);
        b.Assume(comp.id + ": backups hold " + std::to_string(vm.disk.size_gib) + " GiB x " + FormatPrice(kBackupFillFactor) +
                 " (assumed data fill) x " + std::to_string(pg->backups.retention_days) +
                 " days retention (one full uncompressed copy a day) = " + Quantity(stored) +
                 " GiB; only the primary is backed up.");
        if (!price) b.Assume(comp.id + ": no " + name + " price for " + region + "; backup storage is not included.");
    }
}

}  // namespace

CostEstimate EstimateMonthlyCost(const Plan& plan) {
    Builder b{plan, {}};
    if (plan.cloud.provider == "local") {
        b.Assume("A local deployment runs on your own machines: no cloud cost is estimated.");
        return b.out;
    }
    if (Instances(plan.cloud.provider).empty()) {
        b.out.complete = false;
        b.Assume("There is no price catalogue for cloud \"" + plan.cloud.provider + "\".");
        return b.out;
    }
    const PriceSheet& sheet = InstancePriceSheet(plan.cloud.provider);
    const std::string& storage_date = catalog_internal::TheCatalog().storage_prices_as_of;
    b.out.prices_as_of = sheet.prices_as_of == storage_date ? sheet.prices_as_of
                                                             : "instances " + sheet.prices_as_of + ", storage " + storage_date;
    b.Assume("Prices: " + sheet.currency + ", Linux on-demand, " + plan.cloud.provider + " " + plan.cloud.region +
             ", as of " + b.out.prices_as_of + "; " + Quantity(kHoursPerMonth) +
             " hours a month; no taxes, data transfer, snapshots, support or discounts (savings plans, reservations).");
    const auto hosted = DatabasesByHost(plan);
    for (const Component& comp : plan.components) {
        const auto* vm = std::get_if<VmSpec>(&comp.spec);
        if (!vm) continue;
        const auto it = hosted.find(comp.id);
        const PostgresSpec* pg = it == hosted.end() ? nullptr : it->second;
        if (Replicas(pg) > 0) {
            b.Assume(comp.id + ": each of the " + std::to_string(Replicas(pg)) +
                     " replicas runs on its own copy of this VM with the same type and disk.");
        }
        AddVm(b, comp, *vm, pg);
    }
    b.out.total_monthly_usd = static_cast<double>(b.total_cents) / 100;
    if (!b.out.complete) b.Assume("The total leaves out every line without a price, so the real cost is higher.");
    return b.out;
}

std::string FormatUsd(double value, int decimals) { return Fixed(Scaled(value, decimals), decimals); }

std::string FormatPrice(double value) {
    std::string text = Fixed(Scaled(value, 6), 6);
    while (text.size() > 1 && text.back() == '0' && text[text.size() - 3] != '.') text.pop_back();
    return text;
}

std::string FormatCostEstimate(const CostEstimate& e) {
    auto pad = [](std::string text, std::size_t width, bool right) {
        if (text.size() >= width) return text;
        return right ? std::string(width - text.size(), ' ') + text : text + std::string(width - text.size(), ' ');
    };
    std::size_t item_width = 4;
    for (const CostLine& l : e.lines) item_width = std::max(item_width, l.component.size() + 2 + l.item.size());
    std::string out;
    if (!e.lines.empty()) {  // nothing billed (a local plan): no empty table, just the total and why
        out = pad("item", item_width, false) + "  " + pad("quantity", 10, true) + "  " + pad("unit", 13, false) + "  " +
              pad("unit price", 10, true) + "  " + pad("per month", 10, true) + "\n";
    }
    for (const CostLine& l : e.lines) {
        out += pad(l.component + ": " + l.item, item_width, false) + "  " + pad(Quantity(l.quantity), 10, true) + "  " +
               pad(l.unit, 13, false) + "  " + pad(l.unit_price ? FormatPrice(*l.unit_price) : "no price", 10, true) +
               "  " + pad(l.monthly_usd ? FormatUsd(*l.monthly_usd) : "-", 10, true) + "\n";
    }
    out += "total " + e.currency + " per month: " + FormatUsd(e.total_monthly_usd) +
           (e.complete ? "" : " (incomplete: some lines have no price)") + "\n";
    if (!e.prices_as_of.empty()) out += "prices as of " + e.prices_as_of + "\n";
    out += "assumptions:\n";
    for (const std::string& a : e.assumptions) out += "  - " + a + "\n";
    return out;
}

nlohmann::ordered_json CostEstimateToJson(const CostEstimate& e) {
    nlohmann::ordered_json lines = nlohmann::ordered_json::array();
    for (const CostLine& l : e.lines) {
        nlohmann::ordered_json line;
        line["component"] = l.component;
        line["item"] = l.item;
        line["quantity"] = l.quantity;
        line["unit"] = l.unit;
        line["unit_price"] = l.unit_price ? nlohmann::ordered_json(*l.unit_price) : nlohmann::ordered_json(nullptr);
        line["monthly_usd"] = l.monthly_usd ? nlohmann::ordered_json(*l.monthly_usd) : nlohmann::ordered_json(nullptr);
        lines.push_back(std::move(line));
    }
    nlohmann::ordered_json doc;
    doc["currency"] = e.currency;
    doc["total_monthly_usd"] = e.total_monthly_usd;
    doc["complete"] = e.complete;
    doc["prices_as_of"] = e.prices_as_of;
    doc["lines"] = std::move(lines);
    doc["assumptions"] = e.assumptions;
    return doc;
}

}  // namespace plan
