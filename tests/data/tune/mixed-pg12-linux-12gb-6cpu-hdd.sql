-- DB Version: 12
-- OS Type: linux
-- DB Type: mixed
-- Total Memory (RAM): 12 GB
-- CPUs num: 6
-- Data Storage: hdd

ALTER SYSTEM SET max_connections = '100';
ALTER SYSTEM SET shared_buffers = '3GB';
ALTER SYSTEM SET effective_cache_size = '9GB';
ALTER SYSTEM SET maintenance_work_mem = '768MB';
ALTER SYSTEM SET checkpoint_completion_target = '0.9';
ALTER SYSTEM SET wal_buffers = '16MB';
ALTER SYSTEM SET default_statistics_target = '100';
ALTER SYSTEM SET random_page_cost = '4';
ALTER SYSTEM SET effective_io_concurrency = '2';
ALTER SYSTEM SET work_mem = '14838kB';
ALTER SYSTEM SET huge_pages = 'try';
ALTER SYSTEM SET jit = 'off';
ALTER SYSTEM SET wal_compression = 'on';
ALTER SYSTEM SET min_wal_size = '1GB';
ALTER SYSTEM SET max_wal_size = '4GB';
ALTER SYSTEM SET max_worker_processes = '6';
ALTER SYSTEM SET max_parallel_workers_per_gather = '3';
ALTER SYSTEM SET max_parallel_workers = '6';
ALTER SYSTEM SET max_parallel_maintenance_workers = '3';