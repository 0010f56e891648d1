create table reminders (
    id             uuid primary key,
    task_id        uuid        not null references tasks (id) on delete cascade,
    user_id        uuid        not null references users (id) on delete cascade,
    position       smallint    not null,
    before_seconds bigint,               -- relative: fires this long before the task's due date
    at             timestamptz,          -- absolute
    fire_at        timestamptz,          -- null while a relative reminder's task has no due date
    status         text        not null default 'pending' check (status in ('pending', 'sent', 'cancelled')),
    fired_at       timestamptz,
    late           boolean     not null default false,
    check ((before_seconds is null) <> (at is null))
);
create index reminders_pending on reminders (fire_at) where status = 'pending';
create index reminders_task on reminders (task_id, position);

create table notifications (
    id          uuid primary key,
    user_id     uuid        not null references users (id) on delete cascade,
    task_id     uuid references tasks (id) on delete cascade,
    reminder_id uuid references reminders (id) on delete set null,
    title       text        not null,
    fire_at     timestamptz not null,
    fired_at    timestamptz not null,
    late        boolean     not null default false,
    read        boolean     not null default false,
    -- a reminder produces one notification per firing time, even if two schedulers tried
    unique (reminder_id, fire_at)
);
create index notifications_user on notifications (user_id, fired_at desc, id);

-- Schedulers wait on this channel instead of polling: a reminder becoming pending wakes them.
-- Notifications are delivered at commit (so a scheduler never looks before the row exists) and
-- identical ones are folded per transaction, so a batch insert sends one. Firing (pending -> sent)
-- sends none, so a scheduler does not wake itself.
create function notify_reminders() returns trigger language plpgsql as $$
begin
    perform pg_notify('todo_reminders', '');
    return null;
end $$;
create trigger reminders_pending after insert or update of status, fire_at on reminders
    for each row when (new.status = 'pending') execute function notify_reminders();
