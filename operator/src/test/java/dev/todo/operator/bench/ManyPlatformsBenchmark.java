package dev.todo.operator.bench;

import dev.todo.operator.mock.MockCluster;
import dev.todo.operator.model.TodoPlatform;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

/**
 * Not a test: creates N TodoPlatforms at once against the in-process mock API server and reports
 * how long until every one has its Deployments and a status, reconciles per second, heap and RSS.
 * The mock server runs in the same JVM, so heap and RSS include it. Run: operator/bench.sh [N]
 */
public final class ManyPlatformsBenchmark {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    AtomicLong reconciles = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    Metrics counting = new Metrics() {
      @Override public void reconciliationExecutionFinished(HasMetadata r, Map<String, Object> m) { reconciles.incrementAndGet(); }
      @Override public void failedReconciliation(HasMetadata r, Exception e, Map<String, Object> m) { failures.incrementAndGet(); }
    };
    try (MockCluster cluster = new MockCluster().withStrimzi().withDapr()) {
      KubernetesClient c = cluster.client();
      c.resource(new SecretBuilder().withNewMetadata().withName("todo-db").withNamespace("bench").endMetadata()
          .withStringData(Map.of("url", "jdbc:postgresql://db:5432/todo", "username", "todo", "password", "pw")).build()).create();
      c.resource(new GenericKubernetesResourceBuilder().withApiVersion("kafka.strimzi.io/v1").withKind("Kafka")
          .withNewMetadata().withName("events").withNamespace("kafka").endMetadata().build()).create();
      cluster.startOperator(o -> o.withMetrics(counting));

      long start = System.nanoTime();
      IntStream.range(0, n).parallel().forEach(i -> c.resource(Serialization.unmarshal("""
          apiVersion: todo.dev/v1alpha1
          kind: TodoPlatform
          metadata: {name: p-%03d, namespace: bench}
          spec:
            database: {secretRef: {name: todo-db}}
            events:
              transport: dapr
              kafka: {clusterRef: {name: events, namespace: kafka}}
          """.formatted(i), TodoPlatform.class)).create());
      long created = System.nanoTime();
      long deadline = start + 600_000_000_000L;
      while (true) {
        long withStatus = c.resources(TodoPlatform.class).inNamespace("bench").list().getItems().stream()
            .filter(p -> p.getStatus() != null && p.getStatus().getObservedGeneration() != null).count();
        int deployments = c.apps().deployments().inNamespace("bench").list().getItems().size();
        if (withStatus == n && deployments == 2L * n) break;
        if (System.nanoTime() > deadline) throw new IllegalStateException("not converged: " + withStatus + " statuses, " + deployments + " deployments");
        LockSupport.parkNanos(100_000_000L);
      }
      long done = System.nanoTime();
      double seconds = (done - start) / 1e9;
      int topics = c.resources(io.strimzi.api.kafka.model.topic.KafkaTopic.class).inNamespace("kafka").list().getItems().size();
      System.gc();
      Runtime rt = Runtime.getRuntime();
      long heapMb = (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
      System.out.printf("platforms: %d (each: 2 Deployments, Service, ConfigMap, 2 Secrets, 4 Dapr objects; %d KafkaTopics in total)%n", n, topics);
      System.out.printf("creating the CRs took %.2f s%n", (created - start) / 1e9);
      System.out.printf("all children and status present after %.2f s%n", seconds);
      System.out.printf("reconciles: %d (%d failed), %.1f reconciles/s%n", reconciles.get(), failures.get(), reconciles.get() / seconds);
      System.out.printf("heap used after GC: %d MB; RSS: %s (operator and mock API server in one JVM)%n", heapMb, rss());
      System.out.printf("cpus: %d, java %s%n", rt.availableProcessors(), System.getProperty("java.version"));
    }
    System.exit(0);
  }

  private static String rss() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS"))
          .map(l -> l.replaceAll("\\s+", " ").replace("VmRSS: ", "")).findFirst().orElse("n/a");
    } catch (Exception e) {
      return "n/a";
    }
  }
}
