create table users (
    id            uuid primary key,
    username      text        not null,
    password_hash text        not null,
    time_zone     text        not null default 'UTC',
    created_at    timestamptz not null default now()
);
create unique index users_username_key on users (lower(username));

create table api_tokens (
    id           uuid primary key,
    user_id      uuid        not null references users (id) on delete cascade,
    name         text        not null,
    token_hash   bytea       not null unique,
    prefix       text        not null,
    created_at   timestamptz not null,
    expires_at   timestamptz,
    last_used_at timestamptz
);
create index api_tokens_user on api_tokens (user_id, created_at);

create table tasks (
    id           uuid primary key,
    user_id      uuid        not null references users (id) on delete cascade,
    title        text        not null,
    description  text,
    priority     smallint    not null default 0,
    due_at       timestamptz,
    time_zone    text        not null,
    all_day      boolean     not null default false,
    completed    boolean     not null default false,
    completed_at timestamptz,
    created_at   timestamptz not null,
    updated_at   timestamptz not null,
    version      integer     not null default 1,
    search       tsvector generated always as (
        setweight(to_tsvector('english', title), 'A') ||
        setweight(to_tsvector('english', coalesce(description, '')), 'B')) stored
);
-- one index per sort key family, each led by (user_id, completed) so a user's open list is a range scan
create index tasks_by_due on tasks (user_id, completed, coalesce(due_at, 'infinity'::timestamptz), priority desc, created_at, id);
create index tasks_by_created on tasks (user_id, completed, created_at, id);
create index tasks_by_updated on tasks (user_id, completed, updated_at, id);
create index tasks_search on tasks using gin (search);

create table tags (
    id         uuid primary key,
    user_id    uuid        not null references users (id) on delete cascade,
    name       text        not null,
    color      text,
    created_at timestamptz not null default now()
);
create unique index tags_user_name_key on tags (user_id, lower(name));

create table task_tags (
    task_id uuid not null references tasks (id) on delete cascade,
    tag_id  uuid not null references tags (id) on delete cascade,
    primary key (task_id, tag_id)
);
create index task_tags_tag on task_tags (tag_id, task_id);
