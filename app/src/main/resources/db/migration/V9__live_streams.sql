-- Live streams resume from the outbox: a reconnecting client's missed task-updates events are read
-- by user and topic after the seq it last saw (and the newest seq on a fresh connect).
create index outbox_user_topic_seq on outbox (user_id, topic, seq);

-- Short-lived single-use tickets for clients that cannot send an Authorization header (EventSource).
-- Only a hash of the ticket is stored; redeeming deletes the row.
create table stream_tickets (
    ticket_hash bytea primary key,
    user_id     uuid        not null references users (id) on delete cascade,
    expires_at  timestamptz not null
);
create index stream_tickets_expiry on stream_tickets (expires_at);
