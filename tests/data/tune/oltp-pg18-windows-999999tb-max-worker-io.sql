-- WARNING
-- this tool not being optimal
-- for very high memory systems
-- 
-- wal_compression = lz4 requires PostgreSQL
-- to be compiled with --with-lz4

-- DB Version: 18
-- OS Type: windows
-- DB Type: oltp
-- Total Memory (RAM): 999999 TB
-- CPUs num: 64
-- Connections num: 999999
-- Data Storage: san

ALTER SYSTEM SET max_connections = '999999';
ALTER SYSTEM SET shared_buffers = '255999744GB';
ALTER SYSTEM SET effective_cache_size = '767999232GB';
ALTER SYSTEM SET maintenance_work_mem = '8GB';
ALTER SYSTEM SET checkpoint_completion_target = '0.9';
ALTER SYSTEM SET wal_buffers = '16MB';
ALTER SYSTEM SET default_statistics_target = '100';
ALTER SYSTEM SET random_page_cost = '1.1';
ALTER SYSTEM SET work_mem = '268418277kB';
ALTER SYSTEM SET huge_pages = 'try';
ALTER SYSTEM SET jit = 'off';
ALTER SYSTEM SET wal_compression = 'lz4';
ALTER SYSTEM SET autovacuum_max_workers = '5';
ALTER SYSTEM SET autovacuum_work_mem = '2GB';
ALTER SYSTEM SET io_method = 'worker';
ALTER SYSTEM SET io_workers = '16';
ALTER SYSTEM SET min_wal_size = '2GB';
ALTER SYSTEM SET max_wal_size = '8GB';
ALTER SYSTEM SET max_worker_processes = '64';
ALTER SYSTEM SET max_parallel_workers_per_gather = '4';
ALTER SYSTEM SET max_parallel_workers = '64';
ALTER SYSTEM SET max_parallel_maintenance_workers = '4';