package dev.todo.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.events.EventConsumer;
import dev.todo.events.Outbox;
import dev.todo.events.Roles;
import io.cloudevents.CloudEvent;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Live sync: every API instance receives every task-updates event (broadcast) and pushes it to the
 * streams its user has open on this instance. It keeps no state in the database and never throws:
 * there is nothing to retry (a stream that misses an event catches up from the outbox when its
 * client reconnects), and a retry here would hold up the delivery to every other consumer.
 */
@Singleton
@Requires(property = "todo.roles", pattern = Roles.API)
public class LiveSync implements EventConsumer {

    static final String NAME = "live-sync";
    private static final Logger LOG = LoggerFactory.getLogger(LiveSync.class);

    private final LiveStreams streams;
    private final ObjectMapper mapper;
    private final Set<String> topics;

    public LiveSync(LiveStreams streams, ObjectMapper mapper, Outbox.Topics topics) {
        this.streams = streams;
        this.mapper = mapper;
        this.topics = Set.of(topics.taskUpdates());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> topics() {
        return topics;
    }

    @Override
    public boolean broadcast() {
        return true;
    }

    @Override
    public void handle(CloudEvent event) {
        try {
            Object user = event.getExtension("userid");
            if (user == null || !streams.hasStreams(UUID.fromString(user.toString()))) {
                return; // nobody of this user listens here: skip building the frame
            }
            Optional<LiveEvent> live = LiveEvent.of(mapper, event);
            if (live.isEmpty()) {
                LOG.warn("Ignoring {} {}: no userid, sequence or time", event.getType(), event.getId());
                return;
            }
            streams.publish(live.get());
        } catch (RuntimeException e) {
            LOG.warn("Could not push {} {} to live streams", event.getType(), event.getId(), e);
        }
    }
}
