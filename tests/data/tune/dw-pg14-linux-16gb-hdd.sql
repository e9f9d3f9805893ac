-- DB Version: 14
-- OS Type: linux
-- DB Type: dw
-- Total Memory (RAM): 16 GB
-- Data Storage: hdd

ALTER SYSTEM SET max_connections = '40';
ALTER SYSTEM SET shared_buffers = '4GB';
ALTER SYSTEM SET effective_cache_size = '12GB';
ALTER SYSTEM SET maintenance_work_mem = '2GB';
ALTER SYSTEM SET checkpoint_completion_target = '0.9';
ALTER SYSTEM SET wal_buffers = '16MB';
ALTER SYSTEM SET default_statistics_target = '500';
ALTER SYSTEM SET random_page_cost = '4';
ALTER SYSTEM SET effective_io_concurrency = '2';
ALTER SYSTEM SET work_mem = '43690kB';
ALTER SYSTEM SET huge_pages = 'try';
ALTER SYSTEM SET wal_compression = 'on';
ALTER SYSTEM SET autovacuum_work_mem = '2GB';
ALTER SYSTEM SET min_wal_size = '4GB';
ALTER SYSTEM SET max_wal_size = '16GB';