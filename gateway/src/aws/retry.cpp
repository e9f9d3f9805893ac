#include "aws/retry.hpp"

#include <algorithm>
#include <cmath>

namespace gw::aws {

std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int retry, double random01) {
    const double exp = std::pow(2.0, std::max(0, retry - 1));
    const double ceiling = std::min(static_cast<double>(policy.max_backoff.count()), policy.base_delay.count() * exp);
    return std::chrono::milliseconds(static_cast<long long>(std::clamp(random01, 0.0, 1.0) * ceiling));
}

int RetryQuota::Acquire(const AwsError& error) {
    const int cost = error.code == kErrTimeout ? policy_.timeout_retry_cost : policy_.retry_cost;
    std::lock_guard lock(mu_);
    if (available_ < cost) return 0;
    available_ -= cost;
    return cost;
}

void RetryQuota::OnSuccess(int retry_cost_taken) {
    std::lock_guard lock(mu_);
    available_ = std::min(policy_.initial_quota,
                          available_ + (retry_cost_taken > 0 ? retry_cost_taken : policy_.no_retry_increment));
}

int RetryQuota::available() const {
    std::lock_guard lock(mu_);
    return available_;
}

}  // namespace gw::aws
