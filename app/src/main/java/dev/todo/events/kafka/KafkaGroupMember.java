package dev.todo.events.kafka;

import dev.todo.db.EmbeddedDatabase;
import dev.todo.db.LocalDefaults;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The worker's static identity in its consumer group ({@code group.instance.id}). A worker that comes
 * back under the identity it had is handed its partitions at once; without one, a killed worker's
 * partitions wait until its session times out. Two live processes must never share an identity (the
 * newer one fences the older out), so it is taken only from something unique to one running process:
 * <ul>
 * <li>{@code TODO_KAFKA_INSTANCE_ID} when set ({@code none}: no static membership);</li>
 * <li>in a Kubernetes pod, the pod's name ({@code HOSTNAME}): a container restarted after a crash keeps
 * it; a replacement pod has a new one and joins as a new member, so a pod that stops leaves the group
 * (see {@link KafkaConsumerLoop}) and the session timeout is kept short for one that died;</li>
 * <li>locally, when the process runs its own database: the host and the data directory, which the
 * process holds locked, so a restart on the same data is the same member;</li>
 * <li>otherwise none (several processes may share everything else, e.g. tests in one JVM).</li>
 * </ul>
 */
@Singleton
@Requires(property = dev.todo.events.EventTransports.PROPERTY, value = dev.todo.events.EventTransports.KAFKA)
final class KafkaGroupMember {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaGroupMember.class);
    static final String NONE = "none";

    private final Optional<String> instanceId;

    KafkaGroupMember(KafkaSettings settings, Optional<LocalDefaults.Resolved> local) {
        this.instanceId = instanceId(settings.instanceId(), System.getenv(), local.flatMap(KafkaGroupMember::dataDirectory),
                KafkaGroupMember::localHost);
        LOG.info("Consumer group {}: {}", settings.group(),
                instanceId.map(id -> "static member " + id).orElse("dynamic member (no stable identity)"));
    }

    Optional<String> instanceId() {
        return instanceId;
    }

    static Optional<String> instanceId(String configured, Map<String, String> env, Optional<Path> lockedDataDirectory,
                                       java.util.function.Supplier<String> host) {
        if (configured != null && !configured.isBlank()) {
            return NONE.equalsIgnoreCase(configured.trim()) ? Optional.empty() : Optional.of(configured.trim());
        }
        String pod = env.get("HOSTNAME");
        if (present(env.get("KUBERNETES_SERVICE_HOST")) && present(pod)) {
            return Optional.of(pod);
        }
        return lockedDataDirectory.map(dir -> host.get() + "-" + sha256(dir.toAbsolutePath().normalize().toString()).substring(0, 12));
    }

    /** The data directory of the database this process runs (and holds locked), once it has started. */
    private static Optional<Path> dataDirectory(LocalDefaults.Resolved local) {
        if (local.database() == null) {
            return Optional.empty();
        }
        try {
            // started before the context (its migrations ran), so this does not wait
            EmbeddedDatabase db = local.database().get(30, TimeUnit.SECONDS);
            return Optional.of(db.cluster().getParent());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        }
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
