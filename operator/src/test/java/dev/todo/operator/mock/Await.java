package dev.todo.operator.mock;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Polls an assertion until it holds or the deadline passes; the last failure is rethrown. */
public final class Await {
  private Await() {}

  public static void until(Duration timeout, Runnable assertion) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError | RuntimeException e) {
        if (System.nanoTime() > deadline) throw e;
        LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
      }
    }
  }

  /** Runs an edit again when the API server reports a conflict (the operator wrote the object meanwhile). */
  public static void retryOnConflict(Runnable edit) {
    for (int attempt = 1; ; attempt++) {
      try {
        edit.run();
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 10) {
          throw e;
        }
      }
    }
  }
}
