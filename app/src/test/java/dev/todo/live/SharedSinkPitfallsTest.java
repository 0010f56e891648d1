package dev.todo.live;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Why streams do not share one Reactor sink per user (reactor-core 3.7, which Micronaut brings):
 * with a multicast sink the first stream to close ends it for every later stream of that user, and
 * a unicast sink refuses a second stream. Each stream is its own publisher instead ({@link LiveStream}).
 */
class SharedSinkPitfallsTest {

    @Test
    void aMulticastSinkIsFinishedForLaterSubscribersOnceItsLastSubscriberLeft() {
        Sinks.Many<String> perUser = Sinks.many().multicast().onBackpressureBuffer();
        Disposable first = perUser.asFlux().subscribe();
        first.dispose(); // the only open stream closes

        List<String> got = new CopyOnWriteArrayList<>();
        AtomicBoolean completed = new AtomicBoolean();
        perUser.asFlux().subscribe(got::add, e -> { }, () -> completed.set(true));
        Sinks.EmitResult result = perUser.tryEmitNext("task.updated");

        assertThat(completed).as("the next stream of the user ends at once").isTrue();
        assertThat(got).isEmpty();
        assertThat(result.isFailure()).isTrue();
    }

    @Test
    void aUnicastSinkRefusesASecondStream() {
        Sinks.Many<String> perUser = Sinks.many().unicast().onBackpressureBuffer();
        perUser.asFlux().subscribe();
        AtomicReference<Throwable> error = new AtomicReference<>();
        perUser.asFlux().subscribe(x -> { }, error::set);
        assertThat(error.get()).isInstanceOf(IllegalStateException.class);
    }
}
