package dev.todo.operator.desired;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The app image a TodoPlatform runs when its spec names none (or names only a repository or a
 * tag): the app image of the operator's own release, so an operator and its platforms upgrade
 * together. {@code RELATED_IMAGE_APP} (set by the chart and the OLM bundle, the convention OLM uses
 * to mirror related images) overrides the one recorded at build time; {@code latest} is never the
 * default.
 */
public record AppImage(String repository, String tag, String digest) {
  public static final String ENV = "RELATED_IMAGE_APP";

  private static volatile AppImage current = fromEnvironment(System.getenv());

  /** What the operator uses for specs without an image. */
  public static AppImage defaultImage() { return current; }

  /** Set once at start-up from the operator's environment (tests pin a fixed one). */
  public static void useDefault(AppImage image) { current = image; }

  public static AppImage fromEnvironment(Map<String, String> env) {
    String related = env.get(ENV);
    return related == null || related.isBlank() ? release() : parse(related.trim());
  }

  /** The image recorded in the operator's jar at build time: the app image of the same version. */
  public static AppImage release() {
    Properties p = new Properties();
    try (InputStream in = AppImage.class.getResourceAsStream("/todo-operator-build.properties")) {
      if (in == null) throw new IllegalStateException("todo-operator-build.properties is missing from the operator's jar");
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return parse(p.getProperty("app.image"));
  }

  /** {@code registry/repo:tag}, {@code registry/repo@sha256:...} or {@code registry/repo:tag@sha256:...}. */
  public static AppImage parse(String reference) {
    String ref = reference;
    String digest = null;
    int at = ref.indexOf('@');
    if (at >= 0) {
      digest = ref.substring(at + 1);
      ref = ref.substring(0, at);
    }
    String tag = null;
    int colon = ref.lastIndexOf(':');
    if (colon > ref.lastIndexOf('/')) {
      tag = ref.substring(colon + 1);
      ref = ref.substring(0, colon);
    }
    if (ref.isEmpty() || (tag == null && digest == null) || (tag != null && tag.isEmpty())
        || (digest != null && !digest.contains(":"))) {
      throw new IllegalArgumentException(ENV + " must be an image reference with a tag or digest, e.g. "
          + "ghcr.io/todo-dev/todo-app:1.0.0, not '" + reference + "'");
    }
    return new AppImage(ref, tag, digest);
  }

  public String reference() {
    return repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
  }
}
