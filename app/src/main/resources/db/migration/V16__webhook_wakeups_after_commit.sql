-- New webhook deliveries wake the senders after the consumer's commit (dev.todo.events.Wakeups),
-- as the outbox and reminders do since V15: no transaction that writes notifies any more.
drop trigger webhook_deliveries_inserted on webhook_deliveries;
drop function notify_webhooks();
