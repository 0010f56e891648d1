package dev.todo.assistant;

import dev.todo.events.Roles;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes conversations nobody has touched for the retention period (30 days by default). */
@Singleton
@Requires(property = "todo.roles", pattern = Roles.WORKER)
public class ConversationPruner {

    private static final Logger LOG = LoggerFactory.getLogger(ConversationPruner.class);

    private final Conversations conversations;
    private final AssistantSettings settings;

    public ConversationPruner(Conversations conversations, AssistantSettings settings) {
        this.conversations = conversations;
        this.settings = settings;
    }

    @Scheduled(fixedDelay = "${todo.assistant.prune-interval:1h}", initialDelay = "2m")
    public int prune() {
        int n = conversations.prune(settings.retention());
        if (n > 0) {
            LOG.info("Deleted {} assistant conversations older than {}", n, settings.retention());
        }
        return n;
    }
}
