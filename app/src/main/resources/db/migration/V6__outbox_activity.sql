-- Transactional outbox: every state change writes its event here in the same transaction; a relay
-- publishes rows in seq order (so per task in order) and marks them published.
create table outbox (
    seq          bigserial primary key,
    id           uuid        not null,
    type         text        not null,
    topic        text        not null,
    subject      uuid        not null,
    user_id      uuid        not null,
    time         timestamptz not null,
    data         jsonb       not null,
    attempts     integer     not null default 0,
    published_at timestamptz,
    unique (id, topic)
);
create index outbox_unpublished on outbox (seq) where published_at is null;

create function notify_outbox() returns trigger language plpgsql as $$
begin
    perform pg_notify('todo_outbox', '');
    return null;
end $$;
create trigger outbox_inserted after insert on outbox for each statement execute function notify_outbox();

-- Consumers record the events they have acted on in the same transaction as the side effect.
create table processed_events (
    consumer     text        not null,
    event_id     uuid        not null,
    processed_at timestamptz not null default now(),
    primary key (consumer, event_id)
);

create table activity (
    id       uuid primary key,
    event_id uuid        not null unique,
    user_id  uuid        not null references users (id) on delete cascade,
    task_id  uuid,
    type     text        not null,
    time     timestamptz not null,
    data     jsonb       not null
);
create index activity_user on activity (user_id, time desc, id desc);
create index activity_task on activity (user_id, task_id, time desc, id desc);
create index activity_completed on activity (user_id, time) where type = 'task.completed';
