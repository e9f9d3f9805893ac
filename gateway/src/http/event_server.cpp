// [SECTION] Index
//   [CONNECTION]  per-connection state and the stream httplib reads and writes
//   [LIFECYCLE]   bind, run, stop
//   [IO THREAD]   accept, admission under the connection caps, reading and framing, deadlines
//   [WORKERS]     serving a framed request through httplib, then keep-alive or close
//   [OUTPUT]      writing responses, the front's own error answers, lingering close
#include "http/event_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "crypto.hpp"
#include "http_util.hpp"

namespace gw::http {

namespace {

// [CONNECTION]
enum Phase : int {
    kReading,  // owned by the I/O thread: armed in epoll for input (or lingering before a close)
    kQueued,   // a whole request waits for a worker
    kServing,  // owned by a worker
    kWriting,  // owned by the I/O thread: armed in epoll for output the client has not taken yet
};

constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::size_t kMaxReadPerEvent = 256 * 1024;  // then other connections get a turn
// Lingering close, as nginx does it (lingering_timeout, lingering_time): read and drop for as long as the client
// keeps sending, up to kLingerTotalMs, but close once it pauses for kLingerQuietMs.
constexpr int kLingerQuietMs = 2000;
constexpr int kLingerTotalMs = 10000;
constexpr int kSweepEveryMs = 200;
constexpr std::size_t kFdReserve = 256;  // descriptors kept for the store, child processes and clients

char kListenTag;
char kWakeTag;

thread_local std::string* t_current_body = nullptr;

std::int64_t SteadyMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

const char* Reason(int status) {
    switch (status) {
        case 400: return "Bad Request";
        case 408: return "Request Timeout";
        case 413: return "Content Too Large";
        case 414: return "URI Too Long";
        case 415: return "Unsupported Media Type";
        case 417: return "Expectation Failed";
        case 431: return "Request Header Fields Too Large";
        case 501: return "Not Implemented";
        case 503: return "Service Unavailable";
        case 505: return "HTTP Version Not Supported";
        default: return "Error";
    }
}

// The address as httplib would report it (numeric host).
std::string NumericHost(const sockaddr_storage& ss, socklen_t len, int& port) {
    char host[NI_MAXHOST] = {};
    char serv[NI_MAXSERV] = {};
    if (getnameinfo(reinterpret_cast<const sockaddr*>(&ss), len, host, sizeof host, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        port = 0;
        return {};
    }
    port = std::atoi(serv);
    return host;
}

// The unit the per-client caps count: an IPv4 address, or an IPv6 /64 (one subscriber's usual allocation, so
// rotating through its 2^64 addresses does not multiply the allowance).
std::string ClientNetwork(const sockaddr_storage& ss) {
    char text[INET6_ADDRSTRLEN] = {};
    if (ss.ss_family == AF_INET) {
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(ss).sin_addr, text, sizeof text);
        return text;
    }
    if (ss.ss_family != AF_INET6) return "other";
    in6_addr addr = reinterpret_cast<const sockaddr_in6&>(ss).sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(&addr)) {
        inet_ntop(AF_INET, &addr.s6_addr[12], text, sizeof text);
        return text;
    }
    std::memset(&addr.s6_addr[8], 0, 8);
    inet_ntop(AF_INET6, &addr, text, sizeof text);
    return std::string(text) + "/64";
}

std::uint64_t FairKey(const FramedRequest& request, const std::string& network) {
    // A bearer token names one account however many addresses it comes from; anonymous requests are
    // grouped by network. Only a hash is kept.
    return request.authorization.empty() ? std::hash<std::string>{}("n:" + network)
                                         : std::hash<std::string>{}("a:" + request.authorization);
}

}  // namespace

struct EventServer::Connection {
    int fd = -1;
    std::string remote_ip;
    int remote_port = 0;
    std::string local_ip;
    int local_port = 0;
    std::string network;  // ClientNetwork()
    bool exempt = false;  // a trusted proxy: not held to the per-client cap
    RequestFramer framer;
    FramedRequest request;  // the request being served
    std::uint64_t fair_key = 0;
    std::string out;
    std::size_t out_off = 0;
    bool close_after_write = false;
    bool lingering = false;
    bool peer_closed = false;  // the client shut its sending side; answer what arrived, then close
    std::int64_t linger_until_ms = 0;  // the latest a lingering close may last
    std::uint64_t served = 0;
    RequestFramer::Phase framer_phase = RequestFramer::Phase::Idle;
    std::int64_t phase_since_ms = 0;
    std::size_t accounted = 0;  // bytes this connection adds to buffered_bytes_
    std::atomic<int> phase{kReading};
    // Set by a worker while it hands the connection back to epoll (ArmRead/ArmWrite): the I/O thread's sweeper
    // must not act on a connection whose phase says "waiting" before epoll actually holds it.
    std::atomic<int> in_transit{0};
    std::atomic<std::int64_t> deadline_ms{0};
    std::atomic<std::int64_t> active_ms{0};
    std::list<Connection*>::iterator self;

    explicit Connection(const FramerLimits& limits) : framer(limits) {}
};

// What httplib reads and writes while a worker serves one request: the normalised head (the body was taken
// out of band) and an output buffer the front sends without blocking the worker on a slow reader.
class EventServer::BufferedStream final : public httplib::Stream {
public:
    BufferedStream(const std::string& in, std::string& out, const Connection& conn) : in_(in), out_(out), conn_(conn) {}

    bool is_readable() const override { return pos_ < in_.size(); }
    bool is_writable() const override { return true; }
    ssize_t read(char* ptr, size_t size) override {
        const std::size_t n = std::min(size, in_.size() - pos_);
        std::memcpy(ptr, in_.data() + pos_, n);
        pos_ += n;
        return static_cast<ssize_t>(n);
    }
    ssize_t write(const char* ptr, size_t size) override {
        out_.append(ptr, size);
        return static_cast<ssize_t>(size);
    }
    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        ip = conn_.remote_ip;
        port = conn_.remote_port;
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        ip = conn_.local_ip;
        port = conn_.local_port;
    }
    // No socket to select() on, like httplib's own BufferStream (its FD_SETSIZE check then never trips).
    socket_t socket() const override { return 0; }

private:
    const std::string& in_;
    std::string& out_;
    const Connection& conn_;
    std::size_t pos_ = 0;
};

// [LIFECYCLE]

EventServer::EventServer(FrontOptions options) : options_(std::move(options)) {
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    spare_fd_ = open("/dev/null", O_RDONLY | O_CLOEXEC);
    // The Keep-Alive header httplib writes states our policy, not its defaults (5 s, 5 requests).
    set_keep_alive_timeout(std::max(1, options_.idle_timeout_ms / 1000));
    set_keep_alive_max_count(1000);
    ready_.SetLimit(options_.max_in_flight_per_client > 0 ? options_.max_in_flight_per_client
                                                          : std::max(1, options_.workers / 2));
}

EventServer::~EventServer() {
    Stop(0);
    for (Connection* conn : connections_) {
        ::close(conn->fd);
        delete conn;
    }
    connections_.clear();
    for (int fd : {listen_fd_, epoll_fd_, wake_fd_, spare_fd_}) {
        if (fd >= 0) ::close(fd);
    }
}

std::string EventServer::TakeCurrentBody() {
    if (t_current_body == nullptr) return {};
    return std::move(*t_current_body);
}

int EventServer::Bind(const std::string& host, int port, std::string& error) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const std::string where = (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
    if (const int rc = getaddrinfo(host.empty() ? nullptr : host.c_str(), std::to_string(port).c_str(), &hints, &found);
        rc != 0) {
        error = "cannot listen on " + where + ": " + gai_strerror(rc);
        return -1;
    }
    int last_errno = 0;
    for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
        const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            last_errno = errno;
            continue;
        }
        // SO_REUSEADDR lets a restarted gateway bind while old connections sit in TIME_WAIT. SO_REUSEPORT (which
        // httplib sets) would let a second process listen on the same port and take half the connections.
        const int yes = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd, SOMAXCONN) == 0) {
            listen_fd_ = fd;
            break;
        }
        last_errno = errno;
        ::close(fd);
    }
    freeaddrinfo(found);
    if (listen_fd_ < 0) {
        if (last_errno == EADDRINUSE) {
            error = "port " + std::to_string(port) + " on " + host +
                    " is already in use (another cs-gateway or another program listens there); stop it or "
                    "choose another port with --port";
        } else {
            error = "cannot listen on " + where + ": " + std::strerror(last_errno);
        }
        return -1;
    }
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&ss), &len);
    int bound = 0;
    NumericHost(ss, len, bound);
    return bound;
}

bool EventServer::Run() {
    if (listen_fd_ < 0 || epoll_fd_ < 0 || wake_fd_ < 0) return false;
    // Idle connections cost a descriptor each: take the hard limit, and keep the cap under it.
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        if (limit.rlim_cur < limit.rlim_max) {
            limit.rlim_cur = limit.rlim_max;
            setrlimit(RLIMIT_NOFILE, &limit);
            getrlimit(RLIMIT_NOFILE, &limit);
        }
        if (limit.rlim_cur != RLIM_INFINITY) {
            const std::size_t usable = limit.rlim_cur > 2 * kFdReserve ? limit.rlim_cur - kFdReserve : limit.rlim_cur / 2;
            options_.max_connections = std::min(options_.max_connections, usable);
        }
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = &kListenTag;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev);
    ev.data.ptr = &kWakeTag;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);

    for (int i = 0; i < std::max(1, options_.workers); ++i) workers_.emplace_back([this] { WorkerLoop(); });
    IoLoop();
    ready_.Close();
    for (auto& worker : workers_) worker.join();
    workers_.clear();
    // Whatever is left (drain time ran out, or requests were parked behind their client's limit) is closed.
    std::lock_guard lock(table_mutex_);
    for (Connection* conn : connections_) {
        ::close(conn->fd);
        delete conn;
    }
    connections_.clear();
    per_client_.clear();
    buffered_bytes_ = 0;
    return true;
}

void EventServer::Stop(int drain_ms) {
    drain_until_ms_ = SteadyMs() + drain_ms;
    stopping_ = true;
    if (wake_fd_ >= 0) {
        const std::uint64_t one = 1;
        [[maybe_unused]] const ssize_t n = ::write(wake_fd_, &one, sizeof one);
    }
}

FrontStats EventServer::Stats() const {
    FrontStats stats;
    {
        std::lock_guard lock(table_mutex_);
        stats.connections = connections_.size();
    }
    stats.buffered_bytes = buffered_bytes_;
    stats.accepted = accepted_;
    stats.requests = requests_;
    stats.rejected = rejected_;
    stats.timed_out = timed_out_;
    stats.evicted = evicted_;
    return stats;
}

std::int64_t EventServer::NowMs() const { return SteadyMs(); }

// [IO THREAD]

void EventServer::IoLoop() {
    epoll_event events[256];
    std::int64_t last_sweep = NowMs();
    bool listening = true;
    while (true) {
        const int n = epoll_wait(epoll_fd_, events, 256, kSweepEveryMs);
        if (n < 0 && errno != EINTR) break;
        for (int i = 0; i < n; ++i) {
            void* tag = events[i].data.ptr;
            if (tag == &kListenTag) {
                if (listening) AcceptAll();
            } else if (tag == &kWakeTag) {
                std::uint64_t count = 0;
                [[maybe_unused]] const ssize_t r = ::read(wake_fd_, &count, sizeof count);
            } else {
                auto* conn = static_cast<Connection*>(tag);
                // A worker may still be returning from Arm(): wait for its last touch.
                while (conn->in_transit.load() != 0) std::this_thread::yield();
                if (conn->phase.load() == kWriting) {
                    OnWritable(conn);
                } else {
                    OnReadable(conn);
                }
            }
        }
        const std::int64_t now = NowMs();
        if (stopping_ && listening) {
            // Stop accepting at once; a load balancer's health check sees the port closed.
            epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
            ::close(listen_fd_);
            listen_fd_ = -1;
            listening = false;
            last_sweep = 0;
        }
        if (now - last_sweep >= kSweepEveryMs) {
            Sweep();
            last_sweep = now;
        }
        if (stopping_) {
            std::lock_guard lock(table_mutex_);
            if (connections_.empty() || now >= drain_until_ms_) break;
        }
    }
}

void EventServer::AcceptAll() {
    for (int i = 0; i < 128; ++i) {
        sockaddr_storage ss{};
        socklen_t len = sizeof ss;
        const int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&ss), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            Admit(fd, ss, len);
            continue;
        }
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if ((errno == EMFILE || errno == ENFILE) && spare_fd_ >= 0) {
            // Out of descriptors: the pending connection would wake epoll forever. Use the spare descriptor to
            // take it and close it at once, and make room for the next one.
            ::close(spare_fd_);
            const int doomed = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (doomed >= 0) ::close(doomed);
            spare_fd_ = open("/dev/null", O_RDONLY | O_CLOEXEC);
            Connection* victim = nullptr;
            {
                std::lock_guard lock(table_mutex_);
                victim = PickVictim("");
            }
            if (victim != nullptr) {
                evicted_++;
                Close(victim);
            }
        }
        return;  // EAGAIN, or an error the next wake-up will see again
    }
}

void EventServer::Admit(int fd, const sockaddr_storage& ss, socklen_t len) {
    auto* conn = new Connection(options_.framing);
    conn->fd = fd;
    conn->remote_ip = NumericHost(ss, len, conn->remote_port);
    {
        sockaddr_storage local{};
        socklen_t local_len = sizeof local;
        getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len);
        conn->local_ip = NumericHost(local, local_len, conn->local_port);
    }
    conn->network = ClientNetwork(ss);
    conn->exempt = std::find(options_.trusted_proxies.begin(), options_.trusted_proxies.end(), conn->remote_ip) !=
                   options_.trusted_proxies.end();
    const int yes = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    accepted_++;
    const std::int64_t now = NowMs();
    const char* refusal = nullptr;
    Connection* victim = nullptr;
    {
        std::lock_guard lock(table_mutex_);
        if (connections_.size() >= options_.max_connections) {
            victim = PickVictim("");
            if (victim == nullptr) refusal = "The server holds as many connections as it can; try again shortly.";
        } else if (!conn->exempt && per_client_.count(conn->network) != 0 &&
                   per_client_[conn->network] >= options_.max_connections_per_client) {
            victim = PickVictim(conn->network);
            if (victim == nullptr) refusal = "Too many connections from your network are busy; try again shortly.";
        }
        if (refusal == nullptr) {
            conn->self = connections_.insert(connections_.end(), conn);
            if (!conn->exempt) per_client_[conn->network]++;
        }
    }
    if (victim != nullptr) {
        evicted_++;
        Close(victim);  // the I/O thread owns every connection waiting for input
    }
    if (refusal != nullptr) {
        // Best effort: a fresh socket's send buffer takes this at once.
        const std::string answer = ErrorResponse(503, "server.busy", refusal);
        [[maybe_unused]] const ssize_t n = ::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
        ::close(fd);
        rejected_++;
        delete conn;
        return;
    }
    conn->phase_since_ms = now;
    conn->active_ms = now;
    conn->deadline_ms = now + options_.head_timeout_ms;  // the first request's head, from the connect
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
    ev.data.ptr = conn;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
}

EventServer::Connection* EventServer::PickVictim(const std::string& network) {
    // The connection that has been quiet longest among those waiting for input, from `network` ("" = any):
    // idle kept-alive connections and slow heads go before anything being served.
    Connection* victim = nullptr;
    for (Connection* conn : connections_) {
        if (conn->phase.load() != kReading || conn->in_transit.load() != 0) continue;
        if (!network.empty() && conn->network != network) continue;
        if (victim == nullptr || conn->active_ms.load() < victim->active_ms.load()) victim = conn;
    }
    return victim;
}

void EventServer::OnReadable(Connection* conn) {
    char buf[kReadChunk];
    std::size_t total = 0;
    bool eof = false;
    while (total < kMaxReadPerEvent) {
        const ssize_t n = ::recv(conn->fd, buf, sizeof buf, 0);
        if (n > 0) {
            total += static_cast<std::size_t>(n);
            if (conn->lingering) {
                // Dropped unread; a client still sending keeps the connection up to kLingerTotalMs.
                conn->deadline_ms = std::min(NowMs() + kLingerQuietMs, conn->linger_until_ms);
            } else {
                conn->framer.Append(std::string_view(buf, static_cast<std::size_t>(n)));
            }
            if (static_cast<std::size_t>(n) < sizeof buf) break;  // drained for now
            continue;
        }
        if (n == 0) {
            eof = true;
            break;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) break;
        Close(conn);  // reset by the peer
        return;
    }
    if (conn->lingering) {
        if (eof) {
            Close(conn);
        } else {
            ArmRead(conn);
        }
        return;
    }
    const std::int64_t now = NowMs();
    if (total > 0) conn->active_ms = now;
    if (eof) conn->peer_closed = true;
    ContinueReading(conn);
}

void EventServer::ContinueReading(Connection* conn) {
    const RequestFramer::Status status = conn->framer.Advance();
    Account(conn);
    if (status == RequestFramer::Status::Complete) {
        conn->request = conn->framer.TakeRequest();
        conn->fair_key = FairKey(conn->request, conn->network);
        conn->deadline_ms = 0;
        conn->phase = kQueued;
        requests_++;
        ready_.Push(conn->fair_key, conn);
        return;
    }
    if (status == RequestFramer::Status::Error) {
        Reject(conn, conn->framer.error());
        return;
    }
    if (conn->peer_closed) {  // the client went away mid-request or while idle
        Close(conn);
        return;
    }
    if (buffered_bytes_.load() > options_.max_buffered_bytes && conn->framer.phase() != RequestFramer::Phase::Idle) {
        Reject(conn, {503, "server.busy", "The server is receiving too much at once; try again shortly."});
        return;
    }
    if (conn->framer.TakeContinue()) {
        // The client waits for this before sending the body (curl does for bodies over 1 KB).
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        [[maybe_unused]] const ssize_t n = ::send(conn->fd, kContinue.data(), kContinue.size(), MSG_NOSIGNAL);
    }
    const RequestFramer::Phase phase = conn->framer.phase();
    const std::int64_t now = NowMs();
    if (phase != conn->framer_phase) {
        conn->framer_phase = phase;
        conn->phase_since_ms = now;
    }
    int timeout = options_.idle_timeout_ms;
    if (phase == RequestFramer::Phase::Head || (phase == RequestFramer::Phase::Idle && conn->served == 0)) {
        timeout = options_.head_timeout_ms;
    } else if (phase == RequestFramer::Phase::Body) {
        timeout = options_.body_timeout_ms;
    }
    conn->deadline_ms = conn->phase_since_ms + timeout;
    ArmRead(conn);
}

void EventServer::Sweep() {
    const std::int64_t now = NowMs();
    const bool stopping = stopping_.load();
    std::vector<Connection*> expired;
    {
        std::lock_guard lock(table_mutex_);
        for (Connection* conn : connections_) {
            const int phase = conn->phase.load();
            if ((phase != kReading && phase != kWriting) || conn->in_transit.load() != 0) continue;
            const std::int64_t deadline = conn->deadline_ms.load();
            if ((stopping && phase == kReading) || (deadline != 0 && now >= deadline)) expired.push_back(conn);
        }
    }
    // The I/O thread owns every connection waiting in epoll, so it may answer and close them here.
    for (Connection* conn : expired) {
        const bool mid_request = conn->framer.phase() != RequestFramer::Phase::Idle;
        if (conn->phase.load() == kReading && mid_request && !conn->lingering && !stopping) {
            timed_out_++;
            epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, conn->fd, nullptr);  // re-armed by the answer's write
            Reject(conn, {408, "request.timeout", "The request did not arrive in time; send the whole request at once."});
        } else {
            if (!stopping) timed_out_++;
            Close(conn);
        }
    }
}

void EventServer::Account(Connection* conn) {
    const std::size_t now = conn->framer.buffered_bytes() + conn->request.head.size() + conn->request.body.size() +
                            (conn->out.size() - conn->out_off);
    if (now >= conn->accounted) {
        buffered_bytes_ += now - conn->accounted;
    } else {
        buffered_bytes_ -= conn->accounted - now;
    }
    conn->accounted = now;
}

// [WORKERS]

void EventServer::WorkerLoop() {
    while (auto item = ready_.Pop()) {
        Connection* conn = item->second;
        conn->phase = kServing;
        Serve(conn);  // conn may be closed and gone afterwards
        ready_.Done(item->first);
    }
}

void EventServer::Serve(Connection* conn) {
    bool close = conn->request.close || conn->peer_closed || stopping_.load();
    bool connection_closed = false;
    {
        BufferedStream stream(conn->request.head, conn->out, *conn);
        t_current_body = &conn->request.body;
        process_request(stream, close, connection_closed, nullptr);
        t_current_body = nullptr;
    }
    conn->request = FramedRequest{};
    conn->served++;
    AfterResponse(conn, close || connection_closed);
}

std::string EventServer::ServeBuffered(std::string_view raw) {
    Connection conn(options_.framing);
    conn.remote_ip = conn.local_ip = "127.0.0.1";
    conn.framer.Append(raw);
    while (true) {
        const RequestFramer::Status status = conn.framer.Advance();
        if (status == RequestFramer::Status::Error) {
            const FramingError& error = conn.framer.error();
            conn.out += ErrorResponse(error.status, error.code, error.message);
            break;
        }
        if (status != RequestFramer::Status::Complete) break;
        conn.request = conn.framer.TakeRequest();
        bool connection_closed = false;
        {
            BufferedStream stream(conn.request.head, conn.out, conn);
            t_current_body = &conn.request.body;
            process_request(stream, conn.request.close, connection_closed, nullptr);
            t_current_body = nullptr;
        }
        if (conn.request.close || connection_closed) break;
    }
    return std::move(conn.out);
}

void EventServer::AfterResponse(Connection* conn, bool close) {
    const std::int64_t now = NowMs();
    conn->active_ms = now;
    conn->framer_phase = RequestFramer::Phase::Idle;
    conn->phase_since_ms = now;
    QueueOutput(conn, close);
}

// [OUTPUT]

void EventServer::QueueOutput(Connection* conn, bool close_after) {
    conn->close_after_write = close_after;
    if (!FlushOutput(conn)) {
        Close(conn);
        return;
    }
    Account(conn);
    if (conn->out_off < conn->out.size()) {
        conn->deadline_ms = NowMs() + options_.write_timeout_ms;
        conn->phase = kWriting;
        ArmWrite(conn);
        return;
    }
    conn->out.clear();
    conn->out_off = 0;
    if (close_after) {
        Linger(conn);
    } else {
        ContinueReading(conn);
    }
}

bool EventServer::FlushOutput(Connection* conn) {
    while (conn->out_off < conn->out.size()) {
        const ssize_t n =
            ::send(conn->fd, conn->out.data() + conn->out_off, conn->out.size() - conn->out_off, MSG_NOSIGNAL);
        if (n > 0) {
            conn->out_off += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
        return false;
    }
    return true;
}

void EventServer::OnWritable(Connection* conn) {
    const std::size_t before = conn->out_off;
    if (!FlushOutput(conn)) {
        Close(conn);
        return;
    }
    Account(conn);
    if (conn->out_off < conn->out.size()) {
        // A slow reader that keeps taking bytes keeps its connection; one that stops does not.
        if (conn->out_off > before) conn->deadline_ms = NowMs() + options_.write_timeout_ms;
        ArmWrite(conn);
        return;
    }
    conn->out.clear();
    conn->out_off = 0;
    Account(conn);
    if (conn->close_after_write) {
        Linger(conn);
    } else {
        ContinueReading(conn);
    }
}

std::string EventServer::ErrorResponse(int status, const std::string& code, const std::string& message,
                                       std::string* request_id) const {
    const std::string id = NewRequestId();
    if (request_id != nullptr) *request_id = id;
    const std::string body = ErrorEnvelope(code, message, id);
    std::string text = "HTTP/1.1 " + std::to_string(status) + " " + Reason(status) + "\r\n";
    for (const auto& [name, value] : options_.default_headers) text += name + ": " + value + "\r\n";
    text += "Content-Type: application/json\r\nCache-Control: no-store\r\nConnection: close\r\n";
    text += std::string(kRequestIdHeader) + ": " + id + "\r\n";
    text += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    text += body;
    return text;
}

void EventServer::Reject(Connection* conn, const FramingError& error) {
    rejected_++;
    FrontRejection entry;
    entry.method = conn->framer.method();
    entry.path = conn->framer.target().substr(0, conn->framer.target().find('?'));
    entry.status = error.status;
    entry.code = error.code;
    entry.remote = conn->remote_ip;
    conn->out = ErrorResponse(error.status, error.code, error.message, &entry.request_id);
    conn->out_off = 0;
    conn->framer = RequestFramer(options_.framing);  // drop whatever was received
    conn->request = FramedRequest{};
    if (on_reject_) on_reject_(entry);
    QueueOutput(conn, true);
}

void EventServer::Linger(Connection* conn) {
    // Closing a socket with unread input makes the kernel send a reset, which can destroy the answer before
    // the client reads it (e.g. a 413 sent while the client is still uploading). So: stop sending, read and
    // drop what still comes for a short while, then close.
    ::shutdown(conn->fd, SHUT_WR);
    conn->lingering = true;
    conn->linger_until_ms = NowMs() + kLingerTotalMs;
    conn->deadline_ms = NowMs() + kLingerQuietMs;
    conn->phase = kReading;
    ArmRead(conn);
}

void EventServer::ArmRead(Connection* conn) { Arm(conn, kReading, EPOLLIN | EPOLLRDHUP); }

void EventServer::ArmWrite(Connection* conn) { Arm(conn, kWriting, EPOLLOUT); }

void EventServer::Arm(Connection* conn, int phase, std::uint32_t events) {
    // Nothing may touch `conn` after epoll_ctl: from then on the I/O thread owns it and may close it.
    conn->in_transit++;
    conn->phase = phase;
    epoll_event ev{};
    ev.events = events | EPOLLONESHOT;
    ev.data.ptr = conn;
    // MOD for a connection epoll already knows; ADD when the sweeper took it out to answer a timeout.
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, conn->fd, &ev) != 0 && errno == ENOENT) {
        epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, conn->fd, &ev);
    }
    conn->in_transit--;  // the last touch: the I/O thread waits for this before it uses the connection
}

void EventServer::Close(Connection* conn) {
    {
        // Out of the table first, so the sweeper never shuts down a descriptor number that is reused.
        std::lock_guard lock(table_mutex_);
        connections_.erase(conn->self);
        if (!conn->exempt) {
            auto it = per_client_.find(conn->network);
            if (it != per_client_.end() && --it->second == 0) per_client_.erase(it);
        }
    }
    buffered_bytes_ -= conn->accounted;
    ::close(conn->fd);
    delete conn;
}

}  // namespace gw::http
