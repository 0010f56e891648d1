-- The relay and the reminder scheduler are woken by a NOTIFY sent after the writer's commit, from
-- the application (dev.todo.events.Wakeups), no longer by triggers in the writing transaction:
-- PostgreSQL serialises the commits of transactions that notify, each waiting for the one before
-- it to reach the disk, so every task change queued behind every other.
drop trigger outbox_inserted on outbox;
drop function notify_outbox();
drop trigger reminders_pending on reminders;
drop function notify_reminders();
