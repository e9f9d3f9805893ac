#pragma once
// The AWS "standard" retry mode: at most 3 attempts, exponential backoff with full jitter, and a retry
// quota (token bucket) so a failing service is not hammered by every caller's retries at once.
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
#include <chrono>
#include <mutex>

#include "aws/result.hpp"

namespace gw::aws {

struct RetryPolicy {
    int max_attempts = 3;                                   // first try included
    std::chrono::milliseconds base_delay{100};              // backoff base
    std::chrono::milliseconds max_backoff{20000};           // backoff cap
    int initial_quota = 500;                                // retry tokens in the bucket
    int retry_cost = 5;                                     // tokens taken per retry
    int timeout_retry_cost = 10;                            // tokens taken per retry after a timeout
    int no_retry_increment = 1;                             // tokens returned by a first-try success
};

// Full-jitter delay before retry number `retry` (1 = the second attempt): random01 * min(cap, base * 2^(retry-1)).
// random01 is in [0, 1).
std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int retry, double random01);

// The token bucket. Thread-safe; one per client, shared by all its calls.
class RetryQuota {
public:
    explicit RetryQuota(const RetryPolicy& policy) : policy_(policy), available_(policy.initial_quota) {}

    // Takes the cost of retrying after `error` (timeout_retry_cost for timeouts, else retry_cost).
    // Returns the tokens taken, or 0 when the bucket cannot pay (then do not retry).
    int Acquire(const AwsError& error);
    // Records a successful response: returns `retry_cost_taken` tokens when the success came from a retry,
    // otherwise no_retry_increment; never above the initial capacity.
    void OnSuccess(int retry_cost_taken);
    int available() const;

private:
    RetryPolicy policy_;
    mutable std::mutex mu_;
    int available_;
};

}  // namespace gw::aws
