// Transform and validate, timed natively with Google Benchmark. Targets (from the issue): the one-VM plan
// transforms in under 50 us natively; a 500-component plan validates in under 2 ms in wasm (wasm_bench.cpp).
// bench/run_benchmarks.sh runs this, the wasm harness and the AWS CDK comparison side by side.
#include <benchmark/benchmark.h>

#include "bench_plans.hpp"
#include "plan/transform.hpp"
#include "plan/validate.hpp"

namespace {

void BM_TransformOneVm(benchmark::State& state) {
    const plan::Plan p = bench::OneVmPlan();
    for (auto _ : state) {
        plan::TransformResult r = plan::Transform(p, plan::Target::AwsCloudFormation);
        benchmark::DoNotOptimize(r);
    }
}
BENCHMARK(BM_TransformOneVm)->Unit(benchmark::kMicrosecond);

void BM_ValidateOneVm(benchmark::State& state) {
    const plan::Plan p = bench::OneVmPlan();
    for (auto _ : state) {
        plan::Diagnostics d = plan::Validate(p);
        benchmark::DoNotOptimize(d);
    }
}
BENCHMARK(BM_ValidateOneVm)->Unit(benchmark::kMicrosecond);

void BM_Validate500Components(benchmark::State& state) {
    const plan::Plan p = bench::FiveHundredComponentPlan();
    for (auto _ : state) {
        plan::Diagnostics d = plan::Validate(p);
        benchmark::DoNotOptimize(d);
    }
}
BENCHMARK(BM_Validate500Components)->Unit(benchmark::kMicrosecond);

// A large plan rendered for CloudFormation; records the template's size (0 when refused).
void BM_TransformLarge(benchmark::State& state, const plan::Plan& p) {
    std::size_t bytes = 0;
    for (auto _ : state) {
        plan::TransformResult r = plan::Transform(p, plan::Target::AwsCloudFormation);
        bytes = r.documents.empty() ? 0 : r.documents[0].text.size();
        benchmark::DoNotOptimize(r);
    }
    state.counters["template_bytes"] = static_cast<double>(bytes);
}
// Refused (more than 500 resources): times validation plus the refusal, like the CDK's figure.
BENCHMARK_CAPTURE(BM_TransformLarge, 500Components, bench::FiveHundredComponentPlan())->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_TransformLarge, LargeAwsStack, bench::LargeAwsStackPlan())->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
