-- Retention: each table's old rows are found by an index on the time they are kept by, so the
-- housekeeping job deletes them in small chunks without scanning the table.
create index activity_time on activity (time);
create index webhook_deliveries_finished on webhook_deliveries (created_at) where status in ('delivered', 'failed');
create index notifications_fired on notifications (fired_at);
create index dead_letters_failed on dead_letters (failed_at);
