-- sorting a user's list by title, or by priority first, is a range scan too
create index tasks_by_title on tasks (user_id, completed, lower(title), id);
create index tasks_by_priority on tasks (user_id, completed, priority desc, coalesce(due_at, 'infinity'::timestamptz), id);
