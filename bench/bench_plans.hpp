#pragma once
// The plans the benchmarks time, built in code so native and wasm time exactly the same input.
#include <string>

#include "plan/plan.hpp"

namespace bench {

// One VM hosting one PostgreSQL: DefaultPlan, the plan a new user starts from.
inline plan::Plan OneVmPlan() { return plan::DefaultPlan("bench-one-vm"); }

// `databases` VMs (vm-000, vm-001, ...), each hosting one PostgreSQL (pg-000, ...).
inline plan::Plan ManyDatabasesPlan(int databases, const std::string& name) {
    plan::Plan p = plan::DefaultPlan(name);
    const plan::Component vm_template = p.components[0];
    const plan::Component pg_template = p.components[1];
    p.components.clear();
    for (int i = 0; i < databases; ++i) {
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

// 500 components (250 databases): validates, and Transform refuses it for CloudFormation (it would need
// 1,750 resources; one stack holds 500), as the AWS CDK does.
inline plan::Plan FiveHundredComponentPlan() { return ManyDatabasesPlan(250, "bench-500-components"); }

// The largest kind of plan one CloudFormation stack takes: 60 databases, 420 resources (the CDK's
// equivalent has 480).
inline plan::Plan LargeAwsStackPlan() { return ManyDatabasesPlan(60, "bench-60-databases"); }

}  // namespace bench
