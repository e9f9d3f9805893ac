#include "plan/plan.hpp"

#include <array>
#include <utility>

namespace plan {
namespace {

// One table per enum keeps the cs-json spelling in exactly one place.
template <typename E, std::size_t N>
using Names = std::array<std::pair<E, std::string_view>, N>;

constexpr Names<Environment, 4> kEnvironmentNames{{{Environment::Development, "development"},
                                                   {Environment::Staging, "staging"},
                                                   {Environment::Production, "production"},
                                                   {Environment::Feature, "feature"}}};
constexpr Names<Workload, 5> kWorkloadNames{{{Workload::Web, "web"},
                                             {Workload::Oltp, "oltp"},
                                             {Workload::Dw, "dw"},
                                             {Workload::Desktop, "desktop"},
                                             {Workload::Mixed, "mixed"}}};
constexpr Names<DiskType, 2> kDiskTypeNames{{{DiskType::Ssd, "ssd"}, {DiskType::Hdd, "hdd"}}};
constexpr Names<Topology, 2> kTopologyNames{{{Topology::Single, "single"},
                                             {Topology::PrimaryReplicas, "primary-replicas"}}};

template <typename E, std::size_t N>
std::string_view NameOf(const Names<E, N>& names, E value) {
    for (const auto& [v, name] : names) {
        if (v == value) return name;
    }
    return "?";
}

template <typename E, std::size_t N>
std::optional<E> ValueOf(const Names<E, N>& names, std::string_view text) {
    for (const auto& [v, name] : names) {
        if (name == text) return v;
    }
    return std::nullopt;
}

}  // namespace

std::string_view ToString(Environment value) { return NameOf(kEnvironmentNames, value); }
std::string_view ToString(Workload value) { return NameOf(kWorkloadNames, value); }
std::string_view ToString(DiskType value) { return NameOf(kDiskTypeNames, value); }
std::string_view ToString(Topology value) { return NameOf(kTopologyNames, value); }
std::optional<Environment> ParseEnvironment(std::string_view text) { return ValueOf(kEnvironmentNames, text); }
std::optional<Workload> ParseWorkload(std::string_view text) { return ValueOf(kWorkloadNames, text); }
std::optional<DiskType> ParseDiskType(std::string_view text) { return ValueOf(kDiskTypeNames, text); }
std::optional<Topology> ParseTopology(std::string_view text) { return ValueOf(kTopologyNames, text); }

const Component* Plan::Find(std::string_view component_id) const {
    for (const Component& c : components) {
        if (c.id == component_id) return &c;
    }
    return nullptr;
}

Component* Plan::Find(std::string_view component_id) {
    return const_cast<Component*>(std::as_const(*this).Find(component_id));
}

Plan DefaultPlan(std::string name) {
    Plan plan;
    plan.name = std::move(name);
    plan.components.push_back(Component{"vm-1", "db-host", {120, 120}, VmSpec{}});
    PostgresSpec postgres;
    postgres.host = "vm-1";
    plan.components.push_back(Component{"pg-1", "postgres", {420, 120}, postgres});
    return plan;
}

}  // namespace plan
