-- One outbox row per event, naming every topic it goes to; the relay fans it out to them when it
-- publishes. A task event used to be written twice (task-events and task-updates): twice the
-- inserts, the relay's reads and its published-marks for every task change.
alter table outbox add column topics text[];

-- The rows of one event become one: its topics in the order they were written, unpublished while
-- any of its rows was (the relay sends it again to all of them; consumers are idempotent), and the
-- most attempts. It keeps the seq of its last row: for a task event the task-updates row, whose seq
-- live streams gave out as event ids, so a client resuming from one still finds its place (and an
-- event sent again carries the seq the client already has).
with merged as (
    select id, max(seq) as seq, array_agg(topic order by seq) as topics,
           case when bool_and(published_at is not null) then max(published_at) end as published_at,
           max(attempts) as attempts
    from outbox group by id)
update outbox o set topics = m.topics, published_at = m.published_at, attempts = m.attempts
from merged m where o.seq = m.seq;
delete from outbox where topics is null;

alter table outbox drop constraint outbox_id_topic_key;
drop index outbox_user_topic_seq;
alter table outbox drop column topic;
alter table outbox alter column topics set not null;
alter table outbox add constraint outbox_topics_named check (cardinality(topics) > 0);
alter table outbox add constraint outbox_id_key unique (id);

-- Live streams read a user's events on task-updates after a seq (and the newest one); nearly every
-- event of a user goes to task-updates, so the topic is a filter on this index, not a key of it.
create index outbox_user_seq on outbox (user_id, seq);
