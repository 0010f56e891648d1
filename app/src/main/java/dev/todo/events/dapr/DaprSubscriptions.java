package dev.todo.events.dapr;

import dev.todo.events.EventDispatcher;
import dev.todo.events.EventDispatcher.Audience;
import dev.todo.events.EventTransports;
import io.cloudevents.CloudEvent;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Dapr's programmatic subscription: the sidecar asks which topics this process reads
 * ({@code GET /dapr/subscribe}) and then posts each event to the topic's route. Called by the
 * sidecar, not by users: no user token (the sidecar's own token is checked by {@link DaprAppToken}),
 * outside /api, and served whatever the roles of the process.
 * <p>
 * The reply tells Dapr what to do with the message: SUCCESS (handled, or handled before),
 * RETRY (the database is unavailable: deliver it again later) or DROP (it can never be handled:
 * not a CloudEvent, no id or type, or a topic this process does not read).
 * <p>
 * Consumer-group topics and broadcast topics (live sync, which every instance must see) can come
 * from two pub/sub components: {@code todo.dapr.broadcast-pubsub} names one whose consumer group
 * is per pod. Without it both come from {@code todo.dapr.pubsub}.
 */
@Controller("/dapr")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = EventTransports.PROPERTY, value = EventTransports.DAPR)
public class DaprSubscriptions {

    private static final Logger LOG = LoggerFactory.getLogger(DaprSubscriptions.class);
    static final String ROUTES = "/dapr/events/";

    /** One topic this process subscribes to, on one component, delivered to one audience. */
    record Subscription(String pubsub, String topic, Audience audience) {

        String route() {
            return ROUTES + audience.name().toLowerCase(Locale.ROOT) + "/" + topic;
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pubsubname", pubsub);
            m.put("topic", topic);
            m.put("route", route());
            m.put("deadLetterTopic", DaprTransport.deadLetterTopic(topic));
            return m;
        }
    }

    private final EventDispatcher dispatcher;
    private final String pubsub;
    private final String broadcastPubsub;

    public DaprSubscriptions(EventDispatcher dispatcher,
                             @Value("${todo.dapr.pubsub:todo-pubsub}") String pubsub,
                             @Nullable @Value("${todo.dapr.broadcast-pubsub:}") String broadcastPubsub) {
        this.dispatcher = dispatcher;
        this.pubsub = pubsub;
        this.broadcastPubsub = broadcastPubsub == null || broadcastPubsub.isBlank() ? pubsub : broadcastPubsub.strip();
    }

    /** What this process needs, from the consumers it runs (which depend on its roles). */
    List<Subscription> subscriptions() {
        Set<String> group = dispatcher.topics(Audience.GROUP);
        Set<String> broadcast = dispatcher.topics(Audience.BROADCAST);
        List<Subscription> out = new ArrayList<>();
        if (!broadcastPubsub.equals(pubsub)) {
            group.forEach(t -> out.add(new Subscription(pubsub, t, Audience.GROUP)));
            broadcast.forEach(t -> out.add(new Subscription(broadcastPubsub, t, Audience.BROADCAST)));
            return out;
        }
        // one component, one subscription per topic: a topic both audiences read goes to both
        Set<String> all = new TreeSet<>(group);
        all.addAll(broadcast);
        for (String t : all) {
            Audience a = group.contains(t) && broadcast.contains(t) ? Audience.ALL
                    : group.contains(t) ? Audience.GROUP : Audience.BROADCAST;
            out.add(new Subscription(pubsub, t, a));
        }
        return out;
    }

    @Get("/subscribe")
    public List<Map<String, Object>> subscribe() {
        return subscriptions().stream().map(Subscription::toJson).toList();
    }

    @Post("/events/{audience}/{topic}")
    @Consumes(MediaType.ALL)
    public HttpResponse<Map<String, String>> deliver(@PathVariable String audience, @PathVariable String topic,
                                                     @Nullable @Body byte[] body) {
        String route = ROUTES + audience + "/" + topic;
        Subscription subscription = subscriptions().stream().filter(s -> s.route().equals(route)).findFirst().orElse(null);
        if (subscription == null) {
            LOG.warn("Dropping a message for {}: this process does not subscribe to it", route);
            return status("DROP");
        }
        CloudEvent event;
        try {
            event = DaprEnvelope.read(body == null ? new byte[0] : body);
        } catch (DaprEnvelope.Unusable e) {
            LOG.warn("Dropping a message on topic {}: {}", topic, e.getMessage());
            return status("DROP");
        }
        try {
            dispatcher.deliver(topic, event, subscription.audience());
            return status("SUCCESS");
        } catch (EventDispatcher.RetryLaterException e) {
            LOG.warn("{} {} on {} must be delivered again: {}", event.getType(), event.getId(), topic, e.getMessage());
            return status("RETRY");
        } catch (RuntimeException e) {
            // not the event's fault as far as we know: let Dapr's retries (and its dead-letter topic) deal with it
            LOG.error("Delivering {} {} on {} failed unexpectedly", event.getType(), event.getId(), topic, e);
            return status("RETRY");
        }
    }

    private static HttpResponse<Map<String, String>> status(String status) {
        return HttpResponse.ok(Map.of("status", status));
    }
}
