#pragma once
// TESTS ONLY. A Target that deploys nothing, for process-level tests of the engine (kill -9, restart,
// resume). Enabled only by the gateway flag --enable-test-double-target, which registers it in place of
// the "local" target; never available by default.
//
// It is scripted through files under <dir> (the test writes them; survives the process):
// - every call appends "<plan_id> <step|check|backup|destroy>\n" to <dir>/calls.log (one write(2) each,
//   so a kill -9 loses none), which is how a test counts how often each step ran across restarts;
// - while <dir>/hold-<step> exists, that step blocks (checking should_stop, then Interrupted);
// - while <dir>/fail-<step> exists, that step fails with the file's text as the reason;
// - while <dir>/unhealthy exists, Check fails with its text as the reason.
#include <filesystem>
#include <memory>

#include "deploy/target.hpp"

namespace gw::deploy {

std::unique_ptr<Target> MakeTestDoubleTarget(const std::filesystem::path& dir);

}  // namespace gw::deploy
