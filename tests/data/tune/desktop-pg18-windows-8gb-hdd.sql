-- WARNING
-- wal_compression = lz4 requires PostgreSQL
-- to be compiled with --with-lz4

-- DB Version: 18
-- OS Type: windows
-- DB Type: desktop
-- Total Memory (RAM): 8 GB
-- Data Storage: hdd

ALTER SYSTEM SET max_connections = '20';
ALTER SYSTEM SET shared_buffers = '512MB';
ALTER SYSTEM SET effective_cache_size = '2GB';
ALTER SYSTEM SET maintenance_work_mem = '512MB';
ALTER SYSTEM SET checkpoint_completion_target = '0.9';
ALTER SYSTEM SET wal_buffers = '16MB';
ALTER SYSTEM SET default_statistics_target = '100';
ALTER SYSTEM SET random_page_cost = '4';
ALTER SYSTEM SET work_mem = '15603kB';
ALTER SYSTEM SET huge_pages = 'off';
ALTER SYSTEM SET wal_compression = 'lz4';
ALTER SYSTEM SET io_method = 'worker';
ALTER SYSTEM SET min_wal_size = '100MB';
ALTER SYSTEM SET max_wal_size = '2GB';
ALTER SYSTEM SET wal_level = 'minimal';
ALTER SYSTEM SET max_wal_senders = '0';