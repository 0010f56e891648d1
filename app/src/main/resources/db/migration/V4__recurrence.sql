-- Recurring tasks: every occurrence is a task row of one series. previous_id is unique, so an
-- occurrence has at most one successor however often its completion is retried or redelivered.
alter table tasks add column series_id uuid;
alter table tasks add column recurrence_rule text;
alter table tasks add column recurrence_from text;
alter table tasks add column recurrence_exdates timestamptz[] not null default '{}';
alter table tasks add column series_start timestamptz;
alter table tasks add column series_index integer;
alter table tasks add column previous_id uuid unique references tasks (id) on delete set null;
alter table tasks add column skipped boolean not null default false;
create index tasks_series on tasks (user_id, series_id, due_at);
