package dev.todo.operator.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherException;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * The Fabric8 CRUD mock has no server-side apply. This dispatcher treats an apply patch as a
 * create when the object is missing and as a JSON merge patch when it exists, so the operator runs
 * on the same SSA code path as in production. Field ownership and managedFields are not modelled:
 * every apply wins.
 */
public class ServerSideApplyCrudDispatcher extends KubernetesCrudDispatcher {
  private static final String APPLY = "application/apply-patch";
  private volatile String refusePathsContaining;

  /** Makes applies to matching paths fail with 500, as an API server or webhook in trouble would. */
  public void refuseAppliesTo(String pathFragment) {
    this.refusePathsContaining = pathFragment;
  }

  /**
   * JOSDK asks what the operator may do before leader election; the mock has no RBAC, so the
   * answer is: everything.
   */
  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    if (request.getPath().contains("/selfsubjectrulesreviews")) {
      return new MockResponse().setResponseCode(201).setBody(
          "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectRulesReview\",\"metadata\":{},"
              + "\"spec\":{},\"status\":{\"incomplete\":false,\"nonResourceRules\":[],"
              + "\"resourceRules\":[{\"apiGroups\":[\"*\"],\"resources\":[\"*\"],\"verbs\":[\"*\"]}]}}");
    }
    return super.handleCreate(request);
  }

  @Override
  public synchronized MockResponse handlePatch(RecordedRequest request) {
    String contentType = request.getHeader("Content-Type");
    if (contentType == null || !contentType.startsWith(APPLY)) {
      return super.handlePatch(request);
    }
    // The query (fieldManager, force) would otherwise end up in the attribute match and, for /status, hide the subresource.
    String path = request.getPath();
    int q = path.indexOf('?');
    if (q >= 0) path = path.substring(0, q);
    String body = request.getBody().readUtf8();
    String refused = refusePathsContaining;
    if (refused != null && path.contains(refused)) {
      return new MockResponse().setResponseCode(500).setBody("{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"admission webhook unavailable\",\"code\":500}");
    }
    boolean exists = findResource(getKey(path)) != null;
    if (!exists && !path.endsWith("/status")) {
      String collection = path.substring(0, path.lastIndexOf('/'));
      return handleCreate(copy(request, HttpMethod.POST, collection, "application/json", body));
    }
    return handleUpdate(copy(request, HttpMethod.PUT, path, "application/json", applied(path, body)));
  }

  /**
   * The object after the apply: objects are merged field by field, lists and scalars the applier
   * sends replace the stored ones (the mock's own merge patch appends to lists). Fields an earlier
   * apply set and this one omits are kept: real SSA would remove those it owned.
   */
  private String applied(String path, String body) {
    ObjectNode current;
    ObjectNode patch;
    try {
      current = (ObjectNode) asNode(findResource(getKey(path)));
      patch = (ObjectNode) asNode(body);
    } catch (KubernetesCrudDispatcherException e) {
      throw new IllegalArgumentException(e);
    }
    boolean status = path.endsWith("/status");
    patch.fields().forEachRemaining(e -> {
      if (e.getKey().equals("status") != status && !e.getKey().equals("metadata")) return;
      merge(current, e.getKey(), e.getValue());
    });
    ((ObjectNode) current.get("metadata")).remove("managedFields");
    return current.toString();
  }

  private static void merge(ObjectNode target, String key, JsonNode value) {
    if (key.equals("resourceVersion")) return;
    JsonNode existing = target.get(key);
    if (value.isObject() && existing != null && existing.isObject()) {
      value.fields().forEachRemaining(e -> merge((ObjectNode) existing, e.getKey(), e.getValue()));
    } else {
      target.set(key, value);
    }
  }

  private static RecordedRequest copy(RecordedRequest r, HttpMethod method, String path, String contentType, String body) {
    Headers headers = r.getHeaders().newBuilder().set("Content-Type", contentType).build();
    return new RecordedRequest(r.getHttpVersion(), method, path, headers, new Buffer().writeUtf8(body));
  }
}
