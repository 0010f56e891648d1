-- An event a consumer kept failing on, after its last attempt: kept for inspection and replay.
-- One row per consumer and event; dead-lettering the same event again updates the row.
create table dead_letters (
    id               uuid primary key,
    consumer         text        not null,
    topic            text        not null,
    event_id         uuid        not null,
    event_type       text        not null,
    event            jsonb       not null, -- the CloudEvent in its JSON format
    error            text        not null,
    attempts         integer     not null,
    failed_at        timestamptz not null,
    replay_requested_at timestamptz,
    replayed_at      timestamptz,
    unique (consumer, event_id)
);
create index dead_letters_open on dead_letters (failed_at desc, id desc) where replayed_at is null;
create index dead_letters_replay on dead_letters (replay_requested_at) where replay_requested_at is not null and replayed_at is null;
