package dev.todo.events.kafka;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the worker's static identity in its consumer group comes from. */
class KafkaGroupMemberTest {

    static final Map<String, String> POD = Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "HOSTNAME", "todo-worker-7d9f8-x2k4p");

    private static Optional<String> id(String configured, Map<String, String> env, Path lockedDataDirectory) {
        return KafkaGroupMember.instanceId(configured, env, Optional.ofNullable(lockedDataDirectory), () -> "laptop");
    }

    @Test
    void aConfiguredIdentityWinsAndNoneMeansDynamicMembership() {
        assertThat(id(" worker-1 ", POD, Path.of("/srv/data"))).contains("worker-1");
        assertThat(id("none", POD, Path.of("/srv/data"))).isEmpty();
        assertThat(id("NONE", Map.of(), null)).isEmpty();
    }

    @Test
    void inAPodItIsThePodName() {
        assertThat(id("", POD, null)).contains("todo-worker-7d9f8-x2k4p");
        assertThat(id(null, POD, Path.of("/srv/data"))).contains("todo-worker-7d9f8-x2k4p");
    }

    @Test
    void locallyItIsTheHostAndTheLockedDataDirectory() {
        Optional<String> a = id("", Map.of("HOSTNAME", "laptop"), Path.of("/home/me/todo/data"));
        assertThat(a).hasValueSatisfying(v -> assertThat(v).matches("laptop-[0-9a-f]{12}"));
        assertThat(id("", Map.of(), Path.of("/home/me/todo/./data"))).as("same directory, same member").isEqualTo(a);
        assertThat(id("", Map.of(), Path.of("/home/me/other/data"))).as("another directory, another member").isNotEqualTo(a);
        assertThat(KafkaGroupMember.instanceId("", Map.of(), Optional.of(Path.of("/home/me/todo/data")), () -> "desktop"))
                .as("another host, another member").isNotEqualTo(a);
    }

    @Test
    void withoutAnythingUniqueToTheProcessItStaysDynamic() {
        // a HOSTNAME outside Kubernetes may be shared by several processes (a container running two apps)
        assertThat(id("", Map.of("HOSTNAME", "box"), null)).isEmpty();
        assertThat(id("", Map.of(), null)).isEmpty();
    }
}
