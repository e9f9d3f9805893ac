-- WARNING
-- wal_compression = lz4 requires PostgreSQL
-- to be compiled with --with-lz4

-- DB Version: 16
-- OS Type: linux
-- DB Type: mixed
-- Total Memory (RAM): 48 GB
-- CPUs num: 20
-- Data Storage: san

ALTER SYSTEM SET max_connections = '100';
ALTER SYSTEM SET shared_buffers = '12GB';
ALTER SYSTEM SET effective_cache_size = '36GB';
ALTER SYSTEM SET maintenance_work_mem = '3GB';
ALTER SYSTEM SET checkpoint_completion_target = '0.9';
ALTER SYSTEM SET wal_buffers = '16MB';
ALTER SYSTEM SET default_statistics_target = '100';
ALTER SYSTEM SET random_page_cost = '1.1';
ALTER SYSTEM SET effective_io_concurrency = '300';
ALTER SYSTEM SET work_mem = '47185kB';
ALTER SYSTEM SET huge_pages = 'try';
ALTER SYSTEM SET jit = 'off';
ALTER SYSTEM SET wal_compression = 'lz4';
ALTER SYSTEM SET autovacuum_max_workers = '4';
ALTER SYSTEM SET autovacuum_work_mem = '2GB';
ALTER SYSTEM SET min_wal_size = '1GB';
ALTER SYSTEM SET max_wal_size = '4GB';
ALTER SYSTEM SET max_worker_processes = '20';
ALTER SYSTEM SET max_parallel_workers_per_gather = '4';
ALTER SYSTEM SET max_parallel_workers = '20';
ALTER SYSTEM SET max_parallel_maintenance_workers = '4';