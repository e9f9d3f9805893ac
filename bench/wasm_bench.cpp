// The same operations as transform_bench.cpp, timed with std::chrono::steady_clock and no Google
// Benchmark, so it builds with Emscripten and runs under node (`node wasm_bench.js`); natively it gives
// the same harness's figures for a like-for-like ratio. Prints one line per operation:
//   <name> median_ns=<median ns per operation> iterations=<per sample> samples=<count>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <vector>

#include "bench_plans.hpp"
#include "plan/transform.hpp"
#include "plan/validate.hpp"

namespace {

volatile std::size_t g_sink = 0;  // keeps the optimiser from dropping the work

// Median over `samples` of the mean time of one call, each sample running long enough (>= 5 ms) that
// the clock's resolution does not matter.
struct Timing {
    double median_ns = 0;
    long iterations = 0;
    int samples = 0;
};

Timing Measure(const std::function<std::size_t()>& op, int samples = 21) {
    using Clock = std::chrono::steady_clock;
    for (int i = 0; i < 3; ++i) g_sink = g_sink + op();  // warm up (caches, lazily built catalogue)
    long iterations = 1;
    for (;;) {
        const auto start = Clock::now();
        for (long i = 0; i < iterations; ++i) g_sink = g_sink + op();
        if (Clock::now() - start >= std::chrono::milliseconds(5) || iterations >= (1L << 24)) break;
        iterations *= 2;
    }
    std::vector<double> ns;
    for (int s = 0; s < samples; ++s) {
        const auto start = Clock::now();
        for (long i = 0; i < iterations; ++i) g_sink = g_sink + op();
        const auto elapsed = std::chrono::duration<double, std::nano>(Clock::now() - start).count();
        ns.push_back(elapsed / static_cast<double>(iterations));
    }
    std::sort(ns.begin(), ns.end());
    return {ns[ns.size() / 2], iterations, samples};
}

void Report(const char* name, const std::function<std::size_t()>& op) {
    const Timing t = Measure(op);
    std::printf("%s median_ns=%.0f iterations=%ld samples=%d\n", name, t.median_ns, t.iterations, t.samples);
    std::fflush(stdout);
}

}  // namespace

int main() {
    const plan::Plan one = bench::OneVmPlan();
    const plan::Plan big = bench::FiveHundredComponentPlan();
    Report("TransformOneVm", [&] { return plan::Transform(one, plan::Target::AwsCloudFormation).documents.size(); });
    Report("ValidateOneVm", [&] { return plan::Validate(one).size(); });
    Report("Validate500Components", [&] { return plan::Validate(big).size(); });
    Report("Transform500Components",
           [&] { return plan::Transform(big, plan::Target::AwsCloudFormation).documents.size(); });
    const plan::Plan large = bench::LargeAwsStackPlan();
    Report("TransformLargeAwsStack",
           [&] { return plan::Transform(large, plan::Target::AwsCloudFormation).documents.size(); });
    return 0;
}
