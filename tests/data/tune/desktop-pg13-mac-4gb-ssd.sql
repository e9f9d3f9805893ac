-- DB Version: 13
-- OS Type: mac
-- DB Type: desktop
-- Total Memory (RAM): 4 GB
-- Data Storage: ssd

ALTER SYSTEM SET max_connections = '20';
ALTER SYSTEM SET shared_buffers = '256MB';
ALTER SYSTEM SET effective_cache_size = '1GB';
ALTER SYSTEM SET maintenance_work_mem = '256MB';
ALTER SYSTEM SET checkpoint_completion_target = '0.9';
ALTER SYSTEM SET wal_buffers = '7864kB';
ALTER SYSTEM SET default_statistics_target = '100';
ALTER SYSTEM SET random_page_cost = '1.1';
ALTER SYSTEM SET work_mem = '7801kB';
ALTER SYSTEM SET huge_pages = 'off';
ALTER SYSTEM SET wal_compression = 'on';
ALTER SYSTEM SET min_wal_size = '100MB';
ALTER SYSTEM SET max_wal_size = '2GB';
ALTER SYSTEM SET wal_level = 'minimal';
ALTER SYSTEM SET max_wal_senders = '0';