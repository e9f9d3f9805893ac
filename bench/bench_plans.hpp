#pragma once
// The plans the benchmarks time, built in code so native and wasm time exactly the same input.
#include <string>

#include "plan/plan.hpp"

namespace bench {

// One VM hosting one PostgreSQL: DefaultPlan, the plan a new user starts from.
inline plan::Plan OneVmPlan() { return plan::DefaultPlan("bench-one-vm"); }

// 500 components: 250 VMs (vm-000..vm-249), each hosting one PostgreSQL (pg-000..pg-249).
inline plan::Plan FiveHundredComponentPlan() {
    plan::Plan p = plan::DefaultPlan("bench-500-components");
    const plan::Component vm_template = p.components[0];
    const plan::Component pg_template = p.components[1];
    p.components.clear();
    for (int i = 0; i < 250; ++i) {
        std::string n = std::to_string(i);
        n.insert(0, 3 - n.size(), '0');
        plan::Component vm = vm_template;
        vm.id = "vm-" + n;
        vm.name = "vm " + n;
        vm.position = {100.0 * (i % 25), 200.0 * (i / 25)};
        plan::Component pg = pg_template;
        pg.id = "pg-" + n;
        pg.name = "pg " + n;
        pg.position = {100.0 * (i % 25), 200.0 * (i / 25) + 100.0};
        std::get<plan::PostgresSpec>(pg.spec).host = vm.id;
        p.components.push_back(std::move(vm));
        p.components.push_back(std::move(pg));
    }
    return p;
}

}  // namespace bench
