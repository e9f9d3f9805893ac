-- WARNING
-- wal_compression = lz4 requires PostgreSQL
-- to be compiled with --with-lz4
-- 
-- io_method = io_uring requires PostgreSQL
-- to be compiled with --with-liburing

-- DB Version: 18
-- OS Type: linux
-- DB Type: oltp
-- Total Memory (RAM): 100 GB
-- CPUs num: 24
-- Data Storage: ssd

ALTER SYSTEM SET max_connections = '300';
ALTER SYSTEM SET shared_buffers = '25GB';
ALTER SYSTEM SET effective_cache_size = '75GB';
ALTER SYSTEM SET maintenance_work_mem = '6400MB';
ALTER SYSTEM SET checkpoint_completion_target = '0.9';
ALTER SYSTEM SET wal_buffers = '16MB';
ALTER SYSTEM SET default_statistics_target = '100';
ALTER SYSTEM SET random_page_cost = '1.1';
ALTER SYSTEM SET effective_io_concurrency = '200';
ALTER SYSTEM SET work_mem = '80908kB';
ALTER SYSTEM SET huge_pages = 'try';
ALTER SYSTEM SET jit = 'off';
ALTER SYSTEM SET wal_compression = 'lz4';
ALTER SYSTEM SET autovacuum_max_workers = '4';
ALTER SYSTEM SET autovacuum_work_mem = '2GB';
ALTER SYSTEM SET io_method = 'io_uring';
ALTER SYSTEM SET min_wal_size = '2GB';
ALTER SYSTEM SET max_wal_size = '8GB';
ALTER SYSTEM SET max_worker_processes = '24';
ALTER SYSTEM SET max_parallel_workers_per_gather = '4';
ALTER SYSTEM SET max_parallel_workers = '24';
ALTER SYSTEM SET max_parallel_maintenance_workers = '4';