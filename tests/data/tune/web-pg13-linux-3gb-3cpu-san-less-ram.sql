-- DB Version: 13
-- OS Type: linux
-- DB Type: web
-- Total Memory (RAM): 3 GB
-- CPUs num: 3
-- Data Storage: san

ALTER SYSTEM SET max_connections = '200';
ALTER SYSTEM SET shared_buffers = '768MB';
ALTER SYSTEM SET effective_cache_size = '2304MB';
ALTER SYSTEM SET maintenance_work_mem = '192MB';
ALTER SYSTEM SET checkpoint_completion_target = '0.9';
ALTER SYSTEM SET wal_buffers = '16MB';
ALTER SYSTEM SET default_statistics_target = '100';
ALTER SYSTEM SET random_page_cost = '1.1';
ALTER SYSTEM SET effective_io_concurrency = '300';
ALTER SYSTEM SET work_mem = '4914kB';
ALTER SYSTEM SET huge_pages = 'off';
ALTER SYSTEM SET jit = 'off';
ALTER SYSTEM SET wal_compression = 'on';
ALTER SYSTEM SET min_wal_size = '1GB';
ALTER SYSTEM SET max_wal_size = '4GB';