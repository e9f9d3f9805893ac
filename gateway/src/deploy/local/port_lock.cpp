#include "deploy/local/port_lock.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace gw::deploy::local {

bool LoopbackPortFree(int port) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    close(fd);
    return ok;
}

PortLocks::PortLocks(std::string lock_dir, int first, int last)
    : lock_dir_(std::move(lock_dir)), first_(first), last_(last) {}

PortLocks::~PortLocks() {
    for (const auto& [port, fd] : held_) close(fd);
}

int PortLocks::LockFile(int port, std::string* error) {
    // Shared by gateways of different users, like /tmp: anyone may add a lock file, only its owner
    // may remove it (and nobody removes them: an unlinked lock file would let two holders coexist).
    if (mkdir(lock_dir_.c_str(), 01777) == 0) chmod(lock_dir_.c_str(), 01777);  // umask would drop bits
    const std::string file = lock_dir_ + "/" + std::to_string(port) + ".lock";
    const int fd = open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (fd < 0) {
        if (error && error->empty()) *error = "cannot open " + file + ": " + std::strerror(errno);
        return -1;
    }
    fchmod(fd, 0666);  // a gateway of another user must be able to open it too (umask would drop bits)
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {  // another process (or PortLocks) holds it
        close(fd);
        return -1;
    }
    return fd;
}

std::string PortLocks::Acquire(int port) {
    std::lock_guard lock(mutex_);
    if (port <= 0 || port > 65535) return "port " + std::to_string(port) + " is not a TCP port";
    if (held_.count(port)) return {};
    std::string error;
    const int fd = LockFile(port, &error);
    if (fd < 0) {
        return error.empty() ? "port " + std::to_string(port) + " is locked by another process on this host "
                               "(another gateway sharing " + lock_dir_ + ")"
                             : error;
    }
    held_[port] = fd;
    return {};
}

int PortLocks::Reserve(const std::set<int>& skip, std::string* error) {
    std::lock_guard lock(mutex_);
    if (error) error->clear();
    for (int port = first_; port <= last_; ++port) {
        if (skip.count(port) || held_.count(port)) continue;
        const int fd = LockFile(port, error);
        if (fd < 0) continue;
        if (!LoopbackPortFree(port)) {  // bound without the lock: a server from an earlier run, or not ours
            close(fd);
            continue;
        }
        held_[port] = fd;
        if (error) error->clear();
        return port;
    }
    return 0;
}

void PortLocks::Release(int port) {
    std::lock_guard lock(mutex_);
    const auto it = held_.find(port);
    if (it == held_.end()) return;
    close(it->second);  // drops the flock
    held_.erase(it);
}

bool PortLocks::Holds(int port) const {
    std::lock_guard lock(mutex_);
    return held_.count(port) > 0;
}

}  // namespace gw::deploy::local
