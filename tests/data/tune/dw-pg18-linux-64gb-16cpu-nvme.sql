-- WARNING
-- wal_compression = lz4 requires PostgreSQL
-- to be compiled with --with-lz4
-- 
-- io_method = io_uring requires PostgreSQL
-- to be compiled with --with-liburing
-- 
-- Cost parameters for Data Warehouses on NVMe drives are left at defaults
-- to avoid catastrophic index scan selections
-- Monitor query planner behavior and adjust random_page_cost if necessary

-- DB Version: 18
-- OS Type: linux
-- DB Type: dw
-- Total Memory (RAM): 64 GB
-- CPUs num: 16
-- Data Storage: nvme

ALTER SYSTEM SET max_connections = '40';
ALTER SYSTEM SET shared_buffers = '16GB';
ALTER SYSTEM SET effective_cache_size = '48GB';
ALTER SYSTEM SET maintenance_work_mem = '8GB';
ALTER SYSTEM SET checkpoint_completion_target = '0.9';
ALTER SYSTEM SET wal_buffers = '16MB';
ALTER SYSTEM SET default_statistics_target = '500';
ALTER SYSTEM SET random_page_cost = '4';
ALTER SYSTEM SET effective_io_concurrency = '1000';
ALTER SYSTEM SET work_mem = '149796kB';
ALTER SYSTEM SET huge_pages = 'try';
ALTER SYSTEM SET wal_compression = 'lz4';
ALTER SYSTEM SET autovacuum_max_workers = '4';
ALTER SYSTEM SET autovacuum_work_mem = '2GB';
ALTER SYSTEM SET io_method = 'io_uring';
ALTER SYSTEM SET min_wal_size = '4GB';
ALTER SYSTEM SET max_wal_size = '16GB';
ALTER SYSTEM SET max_worker_processes = '16';
ALTER SYSTEM SET max_parallel_workers_per_gather = '8';
ALTER SYSTEM SET max_parallel_workers = '16';
ALTER SYSTEM SET max_parallel_maintenance_workers = '4';