-- A stream opened with a ticket lasts no longer than the credential the ticket was issued to: the
-- ticket remembers it (when it expires; the personal token or web UI session it was, if one).
alter table stream_tickets
    add column credential_kind       text,
    add column credential_expires_at timestamptz,
    add column credential_token_id   uuid,
    add column credential_session_id uuid;
