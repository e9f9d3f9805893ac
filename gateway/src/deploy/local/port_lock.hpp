#pragma once
// Loopback ports for local PostgreSQL servers, reserved across every process on this host.
//
// Why not memory alone: two gateways on one host (or a gateway and the test suite's) draw from the same
// range, and a port chosen by one is free in the other's eyes until a server binds it, seconds later.
// Each reservation is therefore an flock(2) on <lock_dir>/<port>.lock, held for as long as the port is
// ours: the kernel drops it when the process dies (kill -9 included), so nothing stale is left to clean.
// flock locks belong to an open file, so two PortLocks in one process exclude each other too.
// A port is handed out only when its lock is ours AND a bind to 127.0.0.1:port succeeds (a server
// started by an earlier gateway run, or any other program, holds the port without the lock).
#include <map>
#include <mutex>
#include <set>
#include <string>

namespace gw::deploy::local {

class PortLocks {
public:
    // `lock_dir` is created (mode 01777, like /tmp: gateways running as different users share it).
    PortLocks(std::string lock_dir, int first, int last);
    ~PortLocks();  // releases every port still held
    PortLocks(const PortLocks&) = delete;
    PortLocks& operator=(const PortLocks&) = delete;

    // The lowest port in [first, last] not in `skip`, not locked by anyone, and bindable now; 0 when none.
    // On failure `error` says why the lock folder could not be used ("" when the range is just full).
    int Reserve(const std::set<int>& skip, std::string* error = nullptr);
    // Takes the lock of this one port, which the caller knows is its own (a server of a stored deployment,
    // running or stopped: no bind probe). "" when held now (also when already held), otherwise why not
    // (another process holds it: a second gateway on this host, or one that took it while we were down).
    std::string Acquire(int port);
    // Gives the port back (closing its lock). Unknown ports are ignored.
    void Release(int port);
    // True when this object holds `port`.
    bool Holds(int port) const;

    const std::string& lock_dir() const { return lock_dir_; }

private:
    // Opens (creating) the lock file of `port` and takes its flock without waiting; -1 when another holds
    // it (`error` stays "") or the file cannot be opened (`error` says why).
    int LockFile(int port, std::string* error);

    std::string lock_dir_;
    int first_;
    int last_;
    mutable std::mutex mutex_;
    std::map<int, int> held_;  // port -> open lock file descriptor
};

// True when a TCP socket can bind 127.0.0.1:port right now.
bool LoopbackPortFree(int port);

}  // namespace gw::deploy::local
