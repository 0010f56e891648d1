-- A copy of each task's tag ids on the task row itself (task_tags stays the source of truth,
-- written in the same transactions). Tag filters become a containment test on the row, which
-- needs no per-row subquery and lets a list stop early when it is read in index order.
alter table tasks add column tag_ids uuid[] not null default '{}';
update tasks t set tag_ids = s.ids
from (select task_id, array_agg(tag_id order by tag_id) as ids from task_tags group by task_id) s
where s.task_id = t.id;
create index tasks_tag_ids on tasks using gin (tag_ids);
