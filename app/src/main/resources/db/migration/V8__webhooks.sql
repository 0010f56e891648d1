-- Webhooks: a user's HTTP endpoints that receive their events, signed with the webhook's secret.
create table webhooks (
    id         uuid primary key,
    user_id    uuid        not null references users (id) on delete cascade,
    url        text        not null,
    events     text[]      not null, -- event names without the dev.todo. prefix, or '*'
    secret     text        not null, -- the HMAC key; needed in clear to sign
    created_at timestamptz not null
);
create index webhooks_user on webhooks (user_id, created_at, id);

-- One row per webhook and event, written by the webhooks consumer in the same transaction as its
-- processed_events claim; the sender posts it, retries it and records each attempt here. Deleting
-- the webhook deletes its deliveries, which stops the pending ones.
create table webhook_deliveries (
    id                 uuid primary key,
    webhook_id         uuid        not null references webhooks (id) on delete cascade,
    event_id           uuid        not null,
    event_type         text        not null,
    payload            text        not null, -- the CloudEvent in its JSON format, sent byte for byte
    status             text        not null default 'pending'
        check (status in ('pending', 'sending', 'delivered', 'failed')),
    attempts           integer     not null default 0,
    -- pending: when the next attempt is due; sending: when the claim lapses (a sender stopped mid-attempt)
    next_attempt_at    timestamptz,
    claim              uuid,     -- the sender round that holds it while sending
    last_attempt_at    timestamptz,
    last_response_code integer,
    last_error         text,
    outcomes           jsonb       not null default '[]', -- the latest attempts, oldest first
    created_at         timestamptz not null,
    delivered_at       timestamptz,
    unique (webhook_id, event_id)
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status in ('pending', 'sending');
create index webhook_deliveries_list on webhook_deliveries (webhook_id, created_at desc, id desc);

-- Senders wait on this channel: new deliveries wake them (one notification per statement that
-- inserted any, so events of users without webhooks wake nobody).
create function notify_webhooks() returns trigger language plpgsql as $$
begin
    if exists (select 1 from inserted) then
        perform pg_notify('todo_webhooks', '');
    end if;
    return null;
end $$;
create trigger webhook_deliveries_inserted after insert on webhook_deliveries
    referencing new table as inserted for each statement execute function notify_webhooks();
