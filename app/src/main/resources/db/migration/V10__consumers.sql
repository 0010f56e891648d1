-- The next occurrence of a recurring task is created by a consumer after the completion committed.
-- An occurrence gets at most one successor, ever: tasks.previous_id (unique) says so while the
-- completed occurrence exists; this ledger keeps saying so after it was deleted (previous_id then
-- becomes null), so a late or repeated completion event of a deleted occurrence creates nothing twice.
create table occurrence_successors (
    previous_id  uuid primary key,
    successor_id uuid        not null,
    created_at   timestamptz not null default now()
);
insert into occurrence_successors (previous_id, successor_id, created_at)
select previous_id, id, created_at from tasks where previous_id is not null;

-- Notifications are created by a consumer of reminder.due, so when one was created (seen by the
-- user) is no longer when its reminder fired. Existing rows were created as they fired.
alter table notifications add column created_at timestamptz;
update notifications set created_at = fired_at;
alter table notifications alter column created_at set not null;
alter table notifications alter column created_at set default clock_timestamp();
