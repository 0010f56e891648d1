package dev.todo.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * Desired platform. Every field but the database is optional: defaults come from the profile and are applied when
 * the operator computes the children, never written back here (that would fight GitOps tools).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TodoPlatformSpec {
  @JsonPropertyDescription("Defaults for replicas, resources, topic replication, pull policy, disruption budgets and spreading. minikube when absent.")
  private Profile profile;
  @JsonPropertyDescription("The application image; one image runs every role.")
  private ImageSpec image;
  @JsonPropertyDescription("The HTTP API deployment.")
  private ComponentSpec api;
  @JsonPropertyDescription("The worker deployment (event consumers and the reminder scheduler).")
  private ComponentSpec workers;
  @JsonPropertyDescription("Where the PostgreSQL database is: an existing Secret or a CloudNativePG cluster to create.")
  @Required
  private DatabaseSpec database;
  @JsonPropertyDescription("How events travel between roles.")
  private EventsSpec events;
  @JsonPropertyDescription("External HTTP access; no Ingress when absent.")
  private IngressSpec ingress;
  @JsonPropertyDescription("Token signing; a key is generated once and kept when absent.")
  private AuthSpec auth;
  @JsonPropertyDescription("The chat assistant's model endpoint; the chat answers that it is not set up when absent.")
  private AssistantSpec assistant;

  public Profile getProfile() { return profile; }
  public void setProfile(Profile profile) { this.profile = profile; }
  public ImageSpec getImage() { return image; }
  public void setImage(ImageSpec image) { this.image = image; }
  public ComponentSpec getApi() { return api; }
  public void setApi(ComponentSpec api) { this.api = api; }
  public ComponentSpec getWorkers() { return workers; }
  public void setWorkers(ComponentSpec workers) { this.workers = workers; }
  public DatabaseSpec getDatabase() { return database; }
  public void setDatabase(DatabaseSpec database) { this.database = database; }
  public EventsSpec getEvents() { return events; }
  public void setEvents(EventsSpec events) { this.events = events; }
  public IngressSpec getIngress() { return ingress; }
  public void setIngress(IngressSpec ingress) { this.ingress = ingress; }
  public AuthSpec getAuth() { return auth; }
  public void setAuth(AuthSpec auth) { this.auth = auth; }
  public AssistantSpec getAssistant() { return assistant; }
  public void setAssistant(AssistantSpec assistant) { this.assistant = assistant; }
}
