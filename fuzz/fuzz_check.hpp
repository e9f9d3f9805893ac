#pragma once
// FUZZ_CHECK(condition): a property every input must keep. A failure aborts, so libFuzzer saves the input
// as a crash like any sanitizer report. Kept on in every build (unlike assert, which NDEBUG removes).
#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                                                          \
    do {                                                                                               \
        if (!(condition)) {                                                                            \
            std::fprintf(stderr, "FUZZ_CHECK failed: %s (%s:%d)\n", #condition, __FILE__, __LINE__); \
            std::abort();                                                                              \
        }                                                                                              \
    } while (false)
