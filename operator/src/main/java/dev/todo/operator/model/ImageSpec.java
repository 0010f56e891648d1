package dev.todo.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageSpec {
  @JsonPropertyDescription("Image repository, e.g. ghcr.io/todo-dev/todo-app.")
  private String repository;
  @JsonPropertyDescription("Image tag; ignored when digest is set.")
  @Pattern("^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
  @Size(max = 128)
  private String tag;
  @JsonPropertyDescription("Image digest (sha256:...); wins over tag.")
  @Pattern("^sha256:[a-f0-9]{64}$")
  private String digest;
  @JsonPropertyDescription("Always, IfNotPresent or Never; IfNotPresent on minikube, Always on cloud when absent.")
  private PullPolicy pullPolicy;
  @JsonPropertyDescription("Names of image pull Secrets in the platform's namespace.")
  private List<String> pullSecrets;

  public String getRepository() { return repository; }
  public void setRepository(String repository) { this.repository = repository; }
  public String getTag() { return tag; }
  public void setTag(String tag) { this.tag = tag; }
  public String getDigest() { return digest; }
  public void setDigest(String digest) { this.digest = digest; }
  public PullPolicy getPullPolicy() { return pullPolicy; }
  public void setPullPolicy(PullPolicy pullPolicy) { this.pullPolicy = pullPolicy; }
  public List<String> getPullSecrets() { return pullSecrets; }
  public void setPullSecrets(List<String> pullSecrets) { this.pullSecrets = pullSecrets; }
}
