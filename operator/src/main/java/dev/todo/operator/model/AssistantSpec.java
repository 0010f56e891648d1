package dev.todo.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The chat assistant's model: any OpenAI-compatible chat-completions endpoint with tool calling. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AssistantSpec {
  public static final String DEFAULT_KEY = "api-key";

  @Required
  @Pattern("^https?://.+")
  @JsonPropertyDescription("Base URL of the OpenAI-compatible API, e.g. https://api.openai.com/v1 or http://ollama.ai:11434/v1.")
  private String baseUrl;
  @Required
  @JsonPropertyDescription("Model name the endpoint serves, e.g. gpt-4o-mini or qwen2.5:7b; it must support tool calling.")
  private String model;
  @JsonPropertyDescription("Secret holding the endpoint's API key under key (\"api-key\" when absent); none for endpoints without keys.")
  private SecretRef secretRef;

  public String getBaseUrl() { return baseUrl; }
  public void setBaseUrl(String baseUrl) { this.baseUrl = baseUrl; }
  public String getModel() { return model; }
  public void setModel(String model) { this.model = model; }
  public SecretRef getSecretRef() { return secretRef; }
  public void setSecretRef(SecretRef secretRef) { this.secretRef = secretRef; }
}
