package dev.todo.events.kafka;

import dev.todo.support.KafkaBroker;
import dev.todo.support.TestApp;
import io.micronaut.context.ApplicationContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.todo.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Workers as static members of their consumer group, against a real KRaft broker in the test JVM: a
 * worker that stops leaves the group, so the others take its partitions at once rather than after the
 * session timeout (set long here, 45 s, so that only leaving can explain a quick hand-over). The
 * restart of a killed worker under its own identity is covered by CrashRecoveryIT.
 */
class KafkaStaticMembershipTest {

    static KafkaBroker broker;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start();
        List<String> topics = List.of("task-events", "reminders", "task-updates");
        broker.createTopics(topics, 3);
        broker.createTopics(topics.stream().map(t -> t + "-dlq").toList(), 1);
        admin = broker.admin();
    }

    @AfterAll
    static void stop() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static ApplicationContext worker(String group, String instanceId) {
        Map<String, Object> props = new HashMap<>(TestApp.properties("kafka_static"));
        props.put("todo.roles", "worker");
        props.put("todo.events.transport", "kafka");
        props.put("todo.kafka.bootstrap-servers", broker.bootstrapServers());
        props.put("todo.kafka.group", group);
        props.put("todo.kafka.instance-id", instanceId);
        props.put("todo.kafka.session-timeout", "45s");
        return ApplicationContext.run(props, "test");
    }

    /** Instance id → number of assigned partitions, of a group that is not rebalancing. */
    private static Map<String, Integer> assignment(String group) {
        try {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            return d.members().stream().collect(Collectors.toMap(m -> m.groupInstanceId().orElse(m.consumerId()),
                    (MemberDescription m) -> m.assignment().topicPartitions().size()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aStoppingStaticMemberHandsItsPartitionsOverAtOnce() {
        String group = "static-" + UUID.randomUUID();
        ApplicationContext a = worker(group, "worker-a");
        try (ApplicationContext b = worker(group, "worker-b")) {
            Map<String, Integer> both = await(Duration.ofSeconds(30), () -> assignment(group),
                    m -> m.size() == 2 && m.values().stream().allMatch(n -> n > 0));
            int partitions = both.values().stream().mapToInt(Integer::intValue).sum();

            long stopping = System.nanoTime();
            a.close();
            await(Duration.ofSeconds(15), () -> assignment(group), m -> m.equals(Map.of("worker-b", partitions)));
            long ms = (System.nanoTime() - stopping) / 1_000_000;
            System.out.printf("static member stopped: its partitions were with the other one %d ms later%n", ms);
            assertThat(ms).as("well within the 45 s session timeout").isLessThan(15_000);
        } finally {
            a.close();
        }
    }
}
