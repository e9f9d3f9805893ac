#pragma once
// Runs PostgreSQL's programs (initdb, pg_ctl, pg_basebackup, tar, openssl) with an argument vector,
// never through a shell, optionally as another (unprivileged) user, capturing their output for errors.
#include <string>
#include <sys/types.h>
#include <vector>

namespace gw::deploy::local {

// Who the programs run as. `change` is true when the gateway is root and must drop to `uid`/`gid`.
struct RunAs {
    bool change = false;
    uid_t uid = 0;
    gid_t gid = 0;
    std::string name;  // for messages
    std::string home;  // the user's home: HOME for the child (libpq looks for ~/.postgresql there)
};

struct ProcessResult {
    int exit_code = -1;   // the program's exit status; -1 when it could not be started or was killed
    std::string output;   // stdout and stderr together, the last 8 KiB
    bool ok() const { return exit_code == 0; }
    // "initdb exited with 1: <last lines of output>", for events and step errors.
    std::string Describe(const std::string& program) const;
};

// The environment a child gets: from `parent` (NULL-terminated "NAME=value" entries) only PATH (a default
// one when missing), LANG, LANGUAGE, LC_*, TZ, TMPDIR and HOME (the server user's when `as.change`), then
// `extra_env`. Nothing else of the gateway's (cloud keys, CS_* settings) reaches a program or a postmaster.
std::vector<std::string> ChildEnvironment(char* const* parent, const RunAs& as, const std::vector<std::string>& extra_env);

// Runs argv[0] (an absolute path) with argv, stdin from /dev/null, in a new session (so a Ctrl+C or
// kill of the gateway's process group does not reach servers it starts), with no inherited file
// descriptors beyond 0-2, and the environment ChildEnvironment gives: `extra_env` ("NAME=value", e.g.
// PGPASSWORD: environment, not argv, so secrets never show in ps) is all it gets beyond the allowlist.
// Waits for it to exit.
ProcessResult Run(const std::vector<std::string>& argv, const RunAs& as, const std::vector<std::string>& extra_env = {});

}  // namespace gw::deploy::local
