-- Chat conversations with the assistant, one row each, kept per user and pruned after the retention
-- period. messages is the model's transcript (LangChain4j's JSON form), actions what the assistant
-- did (with the call that undoes each), pending the tool calls waiting for the user's confirmation.
create table assistant_conversations (
    id         uuid primary key,
    user_id    uuid        not null references users (id) on delete cascade,
    title      text        not null,
    messages   jsonb       not null,
    actions    jsonb       not null default '[]',
    pending    jsonb,
    version    integer     not null default 1,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create index assistant_conversations_user on assistant_conversations (user_id, updated_at desc);
create index assistant_conversations_age on assistant_conversations (updated_at);
