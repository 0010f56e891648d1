-- Web UI sessions live in a signed cookie (any API replica can check it); a logout records the
-- session's id here so the cookie stops working at once, not only when it expires.
create table ui_ended_sessions (
    session_id uuid primary key,
    expires_at timestamptz not null
);
create index ui_ended_sessions_expiry on ui_ended_sessions (expires_at);
