package dev.todo.live;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.sse.Event;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stream that sends nothing until told to: shows how Micronaut treats a streamed response before
 * its first item (see LiveLimitsApiTest). Only with {@code todo.live.framework-probe=true}.
 */
@Controller("/probe")
@Secured(SecurityRule.IS_ANONYMOUS)
@Requires(property = "todo.live.framework-probe", value = "true")
public class FrameworkProbeController {

    final AtomicInteger subscribed = new AtomicInteger();
    final AtomicInteger cancelled = new AtomicInteger();
    private volatile Subscriber<? super Event<String>> current;

    @Get(value = "/silent", produces = MediaType.TEXT_EVENT_STREAM)
    public Publisher<Event<String>> silent() {
        return s -> {
            current = s;
            s.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                    cancelled.incrementAndGet();
                }
            });
            subscribed.incrementAndGet();
        };
    }

    /** Sends one item (the server asks for one before it sends the headers). */
    @Post("/emit")
    public void emit() {
        current.onNext(Event.of("x"));
    }
}
