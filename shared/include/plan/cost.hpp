#pragma once
// A monthly cost estimate for a plan: instances, disks and backup storage at the catalogue's on-demand
// prices (plan/catalog.hpp), with every assumption written out. Pure and deterministic: the same plan
// gives the same bytes natively and in wasm (money is rounded to cents as integers, text is formatted
// without printf or locales).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plan/plan.hpp"

namespace plan {

inline constexpr double kHoursPerMonth = 730;      // AWS's, Azure's and Google's billing month (8760 / 12)
inline constexpr double kBackupFillFactor = 0.5;   // share of a disk assumed to hold data that backups copy

struct CostLine {
    std::string component;                  // component id, e.g. "vm-main"
    std::string item;                       // what is billed, e.g. "m6i.xlarge (4 vCPU, 16 GiB, x86_64)"
    double quantity = 0;                    // in `unit`s per month
    std::string unit;                       // "instance-hour" | "GiB-month"
    std::optional<double> unit_price;       // USD per unit; nullopt when the catalogue has no price
    std::optional<double> monthly_usd;      // quantity x unit_price rounded to cents; nullopt without a price
};

struct CostEstimate {
    std::vector<CostLine> lines;            // per VM: instance, disk; per database with backups: backup storage
    double total_monthly_usd = 0;           // sum of the priced lines (cents exact)
    bool complete = true;                   // false when some line has no price (the total leaves it out)
    std::vector<std::string> assumptions;   // every assumption and every missing price, one sentence each
    std::string prices_as_of;               // date of the price sheets used ("" for local plans)
    std::string currency = "USD";
};

// The estimate for `plan` in its cloud and region:
//   instance: 730 h x (1 + replicas of the PostgreSQL it hosts) x hourly price of its type (or of the
//             type PickInstance chooses when sized by vcpus + memory);
//   disk:     size (at least the volume type's minimum) x (1 + replicas) x GiB-month price;
//   backups:  disk size x kBackupFillFactor x retention_days (one full copy a day, kept that many days)
//             x object-storage GiB-month price, for the primary only.
// Never invents a price: an unknown type or a region without a price gives a line without a price,
// complete = false, and an assumption naming it. A "local" plan costs nothing and says so.
CostEstimate EstimateMonthlyCost(const Plan& plan);

// USD with exactly `decimals` decimals ("1234.50"), rounded half away from zero; no locale, no printf.
std::string FormatUsd(double value, int decimals = 2);

// A price with as many decimals as it needs, between 2 and 6 ("0.0416", "0.08925", "0.10").
std::string FormatPrice(double value);

// The estimate as a fixed-width text table with the total, the price date and the assumptions.
std::string FormatCostEstimate(const CostEstimate& estimate);

// The estimate as JSON (keys in a fixed order; money as numbers rounded to cents, unit prices as given).
nlohmann::ordered_json CostEstimateToJson(const CostEstimate& estimate);

}  // namespace plan
