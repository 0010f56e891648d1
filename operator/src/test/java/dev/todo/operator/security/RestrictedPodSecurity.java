package dev.todo.operator.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of the Pod Security Standards' {@code restricted} level (Kubernetes 1.30), checked on a
 * pod spec as the PodSecurity admission controller checks it; plus, with {@link #appPod}, what this
 * project adds for the app's pods: a read-only root filesystem and no service-account token.
 */
public final class RestrictedPodSecurity {
  static final Set<String> ALLOWED_VOLUMES = Set.of(
      "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret");
  static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
      "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
      "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
      "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");

  private RestrictedPodSecurity() {}

  /** Violations of the restricted level; empty when the pod would be admitted. */
  @SuppressWarnings("unchecked")
  public static List<String> restricted(Map<String, Object> podSpec) {
    List<String> v = new ArrayList<>();
    for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
      if (Boolean.TRUE.equals(podSpec.get(host))) v.add(host + " must not be true");
    }
    Map<String, Object> podSc = map(podSpec.get("securityContext"));
    for (Map<String, Object> vol : list(podSpec.get("volumes"))) {
      vol.keySet().stream().filter(k -> !k.equals("name") && !ALLOWED_VOLUMES.contains(k))
          .forEach(k -> v.add("volume " + vol.get("name") + ": type " + k + " is not allowed"));
    }
    for (Map<String, Object> s : list(podSc.get("sysctls"))) {
      if (!SAFE_SYSCTLS.contains(s.get("name"))) v.add("sysctl " + s.get("name") + " is not allowed");
    }
    seLinux(podSc, "pod", v);
    if (Long.valueOf(0).equals(number(podSc.get("runAsUser")))) v.add("pod runAsUser must not be 0");
    Object podSeccomp = map(podSc.get("seccompProfile")).get("type");
    if (podSeccomp != null && !allowedSeccomp(podSeccomp)) v.add("pod seccompProfile " + podSeccomp + " is not allowed");

    List<Map<String, Object>> containers = new ArrayList<>();
    for (String key : List.of("initContainers", "containers", "ephemeralContainers")) containers.addAll(list(podSpec.get(key)));
    for (Map<String, Object> c : containers) {
      String name = "container " + c.get("name");
      Map<String, Object> sc = map(c.get("securityContext"));
      if (Boolean.TRUE.equals(sc.get("privileged"))) v.add(name + ": privileged");
      if (!Boolean.FALSE.equals(sc.get("allowPrivilegeEscalation"))) v.add(name + ": allowPrivilegeEscalation must be false");
      Map<String, Object> caps = map(sc.get("capabilities"));
      if (!(caps.get("drop") instanceof List<?> drop && drop.contains("ALL"))) {
        v.add(name + ": capabilities must drop ALL");
      }
      for (Object add : (List<Object>) caps.getOrDefault("add", List.of())) {
        if (!"NET_BIND_SERVICE".equals(add)) v.add(name + ": capability " + add + " must not be added");
      }
      Object runAsNonRoot = sc.containsKey("runAsNonRoot") ? sc.get("runAsNonRoot") : podSc.get("runAsNonRoot");
      if (!Boolean.TRUE.equals(runAsNonRoot)) v.add(name + ": runAsNonRoot must be true (pod or container)");
      if (Long.valueOf(0).equals(number(sc.get("runAsUser")))) v.add(name + ": runAsUser must not be 0");
      Object seccomp = map(sc.get("seccompProfile")).containsKey("type") ? map(sc.get("seccompProfile")).get("type") : podSeccomp;
      if (seccomp == null || !allowedSeccomp(seccomp)) v.add(name + ": seccompProfile must be RuntimeDefault or Localhost (pod or container)");
      if (sc.containsKey("procMount") && !"Default".equals(sc.get("procMount"))) v.add(name + ": procMount must be Default");
      seLinux(sc, name, v);
      for (Map<String, Object> port : list(c.get("ports"))) {
        Long hostPort = number(port.get("hostPort"));
        if (hostPort != null && hostPort != 0) v.add(name + ": hostPort " + hostPort);
      }
    }
    return v;
  }

  /** The restricted level plus the app's own rules. */
  public static List<String> appPod(Map<String, Object> podSpec) {
    List<String> v = new ArrayList<>(restricted(podSpec));
    if (!Boolean.FALSE.equals(podSpec.get("automountServiceAccountToken"))) v.add("automountServiceAccountToken must be false");
    for (Map<String, Object> c : list(podSpec.get("containers"))) {
      if (!Boolean.TRUE.equals(map(c.get("securityContext")).get("readOnlyRootFilesystem"))) {
        v.add("container " + c.get("name") + ": readOnlyRootFilesystem must be true");
      }
    }
    return v;
  }

  private static boolean allowedSeccomp(Object type) { return "RuntimeDefault".equals(type) || "Localhost".equals(type); }

  private static void seLinux(Map<String, Object> sc, String who, List<String> v) {
    Map<String, Object> se = map(sc.get("seLinuxOptions"));
    Object type = se.get("type");
    if (type != null && !Set.of("", "container_t", "container_init_t", "container_kvm_t", "container_engine_t").contains(type)) {
      v.add(who + ": seLinuxOptions.type " + type + " is not allowed");
    }
    if (se.get("user") != null || se.get("role") != null) v.add(who + ": seLinuxOptions user/role must not be set");
  }

  private static Long number(Object o) { return o instanceof Number n ? n.longValue() : null; }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) { return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of(); }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object o) { return o instanceof List<?> l ? (List<Map<String, Object>>) l : List.of(); }
}
