package dev.todo.events.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client settings against a real KRaft broker in the test JVM whose listener requires SASL
 * (SASL_PLAINTEXT with PLAIN users, what Kafka's test kit offers; SCRAM and TLS differ only in the
 * login module and the transport, covered in {@link KafkaClientSecurityTest}).
 */
class KafkaClientSecurityBrokerTest {
    static KafkaClusterTestKit cluster;

    @BeforeAll
    static void start() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
                .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT).build();
        cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                // the kit turns an authorizer on with SASL: the controller's plain listener and the
                // admin are trusted, other users need no ACL here (authentication is what is tested)
                .setConfigProp("super.users", "User:ANONYMOUS;User:" + JaasUtils.KAFKA_PLAIN_ADMIN)
                .setConfigProp("allow.everyone.if.no.acl.found", "true")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic("secured", 1, (short) 1))).all().get();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) cluster.close();
    }

    static Map<String, Object> config(String password) {
        Map<String, Object> c = new HashMap<>(new KafkaClientSecurity("SASL_PLAINTEXT", "PLAIN", JaasUtils.KAFKA_PLAIN_USER1,
                password, "", "", "").properties());
        c.put("bootstrap.servers", cluster.bootstrapServers());
        return c;
    }

    @Test
    void producerAndConsumerGetThroughWithTheCredentials() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config(JaasUtils.KAFKA_PLAIN_USER1_PASSWORD),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("secured", "hello".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> consumerConfig = config(JaasUtils.KAFKA_PLAIN_USER1_PASSWORD);
        consumerConfig.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(new TopicPartition("secured", 0)));
            consumer.seekToBeginning(List.of(new TopicPartition("secured", 0)));
            List<String> seen = new ArrayList<>();
            Instant deadline = Instant.now().plusSeconds(30);
            while (seen.isEmpty() && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
            assertThat(seen).containsExactly("hello");
        }
    }

    @Test
    void aWrongPasswordIsRefusedByTheBroker() {
        Map<String, Object> c = config("wrong");
        c.put("max.block.ms", 10_000);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("secured", new byte[1])).get(30, TimeUnit.SECONDS))
                    .satisfiesAnyOf(
                            e -> assertThat(e).isInstanceOf(SaslAuthenticationException.class),
                            e -> assertThat(e).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class));
        }
    }
}
