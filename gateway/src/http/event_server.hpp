#pragma once
// The gateway's connection layer: an epoll front that owns every client socket, and a pool of workers that
// run httplib's request parsing, our routes and httplib's response writing on requests the front has
// already received whole (docs/http-front.md).
//
// Why not httplib's own listen loop: it gives each connection a thread for its whole life and reads with
// blocking calls, so a few dozen clients that send half a header (or nothing, on a kept-alive connection)
// hold every thread and nobody else is answered; and it reads a chunked or compressed body whole before any
// route or limit runs. Here a thread is taken only by a request that has fully arrived, slow or idle clients
// cost a file descriptor and a few hundred bytes, each phase of a request has a deadline, and every limit
// (head, body however framed, connections per client, bytes buffered in all) holds before a route runs.
//
// Threads: one I/O thread (accept, read, frame, deadlines, finishing slow writes) and `workers` threads.
// A connection is owned by exactly one of them at a time: the I/O thread while it waits in epoll (one-shot),
// a worker while it serves a request. Requests wait for a worker in a queue that takes turns between
// clients (their bearer token, or their network when anonymous), so one client's many requests cannot
// keep another's single request waiting behind them.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <sys/socket.h>

#include <httplib.h>

#include "http/fair_queue.hpp"
#include "http/request_framer.hpp"

namespace gw::http {

struct FrontOptions {
    FramerLimits framing;
    int workers = 16;                           // threads serving requests (handlers may block on the store)
    std::size_t max_connections = 10000;        // lowered to what RLIMIT_NOFILE allows
    std::size_t max_connections_per_client = 1024;  // per IPv4 address or IPv6 /64; trusted proxies exempt
    int head_timeout_ms = 10'000;               // a request head must arrive within this (new connections too)
    int body_timeout_ms = 30'000;               // ... and its body within this after the head
    int idle_timeout_ms = 60'000;               // a kept-alive connection waits this long for its next request
    int write_timeout_ms = 30'000;              // a client must take a response within this
    std::size_t max_buffered_bytes = 256u << 20;  // request and response bytes held for all connections
    int max_in_flight_per_client = 0;           // requests of one client served at once; 0 = half the workers
    std::vector<std::string> trusted_proxies;   // their addresses are exempt from the per-client cap
    httplib::Headers default_headers;           // also put on the front's own error answers
};

// A request the front answered itself (refused or timed out), for the access log.
struct FrontRejection {
    std::string method;      // "" when the request line never arrived
    std::string path;        // without the query string
    int status = 0;
    std::string code;        // the error envelope's code
    std::string request_id;
    std::string remote;
};

// Counters for /metrics and tests; a snapshot.
struct FrontStats {
    std::size_t connections = 0;
    std::size_t buffered_bytes = 0;
    std::uint64_t accepted = 0;
    std::uint64_t requests = 0;
    std::uint64_t rejected = 0;       // answered by the front with 4xx/5xx
    std::uint64_t timed_out = 0;      // closed by a deadline
    std::uint64_t evicted = 0;        // closed to make room under a connection cap
};

class EventServer : public httplib::Server {
public:
    explicit EventServer(FrontOptions options);
    ~EventServer() override;
    EventServer(const EventServer&) = delete;
    EventServer& operator=(const EventServer&) = delete;

    // Listens on host:port (0: any free port) with SO_REUSEADDR but never SO_REUSEPORT, so a second process
    // on the same port fails here. Returns the port, or -1 with `error` set to a sentence naming the port.
    int Bind(const std::string& host, int port, std::string& error);
    // Serves until Stop(). Returns false when not bound.
    bool Run();
    // Stops accepting, closes idle connections, lets requests being served finish (up to `drain_ms`), then
    // makes Run() return. Safe from any thread.
    void Stop(int drain_ms = 10'000);

    // Runs raw request bytes (one connection's worth, possibly pipelined) through the framer, httplib and the
    // routes on the calling thread, without sockets, and returns the bytes that would have been sent. For
    // fuzzing and tests of the whole request path; Run() need not be running.
    std::string ServeBuffered(std::string_view raw);

    void SetRejectionLogger(std::function<void(const FrontRejection&)> logger) { on_reject_ = std::move(logger); }
    FrontStats Stats() const;

    // The body of the request the calling worker thread is serving (moved out once), for the pre-routing
    // handler: the front has de-chunked it already, so httplib never reads a body itself.
    static std::string TakeCurrentBody();

private:
    struct Connection;
    class BufferedStream;

    void IoLoop();
    void WorkerLoop();
    void AcceptAll();
    void Admit(int fd, const sockaddr_storage& peer, socklen_t peer_len);
    Connection* PickVictim(const std::string& network);  // table_mutex_ held
    void OnReadable(Connection* conn);
    void OnWritable(Connection* conn);
    void ContinueReading(Connection* conn);
    void Serve(Connection* conn);
    void AfterResponse(Connection* conn, bool close);
    void Reject(Connection* conn, const FramingError& error);
    void QueueOutput(Connection* conn, bool close_after);
    bool FlushOutput(Connection* conn);
    void Linger(Connection* conn);
    void ArmRead(Connection* conn);
    void ArmWrite(Connection* conn);
    void Arm(Connection* conn, int phase, std::uint32_t events);
    void Close(Connection* conn);
    void Sweep();
    void Account(Connection* conn);
    std::string ErrorResponse(int status, const std::string& code, const std::string& message,
                              std::string* request_id = nullptr) const;
    std::int64_t NowMs() const;

    FrontOptions options_;
    std::function<void(const FrontRejection&)> on_reject_;
    int listen_fd_ = -1;
    int epoll_fd_ = -1;
    int wake_fd_ = -1;
    int spare_fd_ = -1;  // a descriptor held back to shed a connection when the process runs out (EMFILE)
    std::atomic<bool> stopping_{false};
    std::atomic<std::int64_t> drain_until_ms_{0};
    std::atomic<std::size_t> buffered_bytes_{0};

    mutable std::mutex table_mutex_;                       // guards connections_ and per_client_
    std::list<Connection*> connections_;
    std::unordered_map<std::string, std::size_t> per_client_;
    std::atomic<std::uint64_t> accepted_{0}, requests_{0}, rejected_{0}, timed_out_{0}, evicted_{0};

    FairQueue<Connection*> ready_;
    std::vector<std::thread> workers_;
};

}  // namespace gw::http
