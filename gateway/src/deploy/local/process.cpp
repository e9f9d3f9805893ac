// fork + exec rather than posix_spawn: the child must drop privileges (setgroups/setgid/setuid) and
// close every inherited descriptor (the gateway's listening socket must not live on in a postmaster
// that outlives the gateway), which posix_spawn cannot do. Between fork and exec the child only makes
// async-signal-safe calls; everything it needs is prepared before fork.
#include "deploy/local/process.hpp"

#include <cerrno>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string_view>

extern char** environ;

namespace gw::deploy::local {

std::string ProcessResult::Describe(const std::string& program) const {
    std::string text = output;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    // The last few lines carry the reason; earlier ones are progress chatter.
    std::size_t cut = text.size();
    for (int lines = 0; lines < 4 && cut != std::string::npos && cut > 0; ++lines) cut = text.rfind('\n', cut - 1);
    if (cut != std::string::npos && cut < text.size()) text = text.substr(cut + 1);
    const std::string status = exit_code < 0 ? "could not run or was killed" : "exited with " + std::to_string(exit_code);
    return program + " " + status + (text.empty() ? "" : ": " + text);
}

std::vector<std::string> ChildEnvironment(char* const* parent, const RunAs& as,
                                          const std::vector<std::string>& extra_env) {
    // An allowlist, not a blocklist: the gateway's environment holds cloud keys (AWS_SECRET_ACCESS_KEY),
    // its own CS_* settings and whatever else the operator exported, and a postmaster keeps its environment
    // for as long as it runs, readable in /proc/<pid>/environ. The programs need a PATH, a locale (initdb
    // takes the cluster's from it), the time zone and a temporary folder; the PG* variables they need are
    // set by the caller (extra_env), so an operator's PGHOST or PGPASSWORD cannot redirect them either.
    std::vector<std::string> out;
    bool has_path = false;
    for (char* const* e = parent; e != nullptr && *e != nullptr; ++e) {
        const std::string_view entry(*e);
        const std::size_t eq = entry.find('=');
        if (eq == std::string_view::npos) continue;
        const std::string_view name = entry.substr(0, eq);
        const bool locale = name == "LANG" || name == "LANGUAGE" || name.rfind("LC_", 0) == 0;
        // root's HOME is not readable by the server user, which gets its own below.
        const bool home = name == "HOME" && !as.change;
        if (name == "PATH" || name == "TZ" || name == "TMPDIR" || locale || home) out.emplace_back(entry);
        has_path = has_path || name == "PATH";
    }
    if (!has_path) out.emplace_back("PATH=/usr/local/bin:/usr/bin:/bin");
    if (as.change) out.push_back("HOME=" + as.home);
    for (const std::string& e : extra_env) out.push_back(e);
    return out;
}

ProcessResult Run(const std::vector<std::string>& argv, const RunAs& as, const std::vector<std::string>& extra_env) {
    ProcessResult result;
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::vector<std::string> env_store = ChildEnvironment(environ, as, extra_env);
    std::vector<char*> env;
    for (std::string& e : env_store) env.push_back(e.data());
    env.push_back(nullptr);

    // The highest descriptor the child may have to close when close_range(2) is missing (kernels before
    // 5.9, or a seccomp filter that refuses it); read before fork, getrlimit is not async-signal-safe.
    rlimit files{};
    const int max_fd = getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY
                           ? static_cast<int>(std::min<rlim_t>(files.rlim_cur, 1 << 20))
                           : 1 << 16;

    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) {
        result.output = std::string("pipe: ") + std::strerror(errno);
        return result;
    }
    const pid_t pid = fork();
    if (pid < 0) {
        close(out[0]);
        close(out[1]);
        result.output = std::string("fork: ") + std::strerror(errno);
        return result;
    }
    if (pid == 0) {
        setsid();
        const int null_fd = open("/dev/null", O_RDONLY);
        dup2(null_fd, 0);
        dup2(out[1], 1);
        dup2(out[1], 2);
        // Sockets (the gateway's listener, clients' connections), the SQLite database and the port locks
        // must not live on in a postmaster: everything above stdio goes, O_CLOEXEC or not.
        if (syscall(SYS_close_range, 3U, ~0U, 0U) != 0) {
            for (int fd = 3; fd < max_fd; ++fd) close(fd);
        }
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        if (as.change) {
            if (setgroups(0, nullptr) != 0 || setgid(as.gid) != 0 || setuid(as.uid) != 0) _exit(126);
        }
        if (chdir("/") != 0) _exit(126);
        execve(args[0], args.data(), env.data());
        _exit(127);
    }
    close(out[1]);
    char buffer[4096];
    while (true) {
        const ssize_t n = read(out[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        result.output.append(buffer, static_cast<std::size_t>(n));
        if (result.output.size() > 16384) result.output.erase(0, result.output.size() - 8192);
    }
    close(out[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (result.output.size() > 8192) result.output.erase(0, result.output.size() - 8192);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (result.exit_code == 127) result.output += "\n(could not execute " + argv[0] + ")";
    if (result.exit_code == 126 && as.change) result.output += "\n(could not switch to user " + as.name + ")";
    return result;
}

}  // namespace gw::deploy::local
