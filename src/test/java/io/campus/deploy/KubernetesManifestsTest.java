package io.campus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders every overlay, reads each object into its Kubernetes schema class (fabric8 model,
 * strictly: a field the schema does not know fails) and asserts the hardening, probes, scaling and
 * isolation rules for every container.
 */
class KubernetesManifestsTest {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private static final Map<String, Class<?>> SCHEMAS =
      Map.of(
          "v1/ServiceAccount", ServiceAccount.class,
          "v1/ConfigMap", ConfigMap.class,
          "v1/Service", Service.class,
          "apps/v1/Deployment", Deployment.class,
          "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
          "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
          "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
          "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class,
          "monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class);

  /** Custom resources without a model here: their fields are checked by hand below. */
  private static final Set<String> CUSTOM =
      Set.of(
          "external-secrets.io/v1/SecretStore",
          "external-secrets.io/v1/ExternalSecret",
          "elbv2.k8s.aws/v1beta1/TargetGroupBinding");

  @Test
  void everyObjectMatchesItsSchemaStrictly() {
    for (String overlay : Repo.K8S_OVERLAYS) {
      List<Map<String, Object>> objects = Repo.render(overlay);
      assertThat(objects).hasSizeGreaterThanOrEqualTo(10);
      for (Map<String, Object> object : objects) {
        String type = object.get("apiVersion") + "/" + object.get("kind");
        String where = overlay + ": " + type + " " + Kustomize.map(object, "metadata").get("name");
        if (CUSTOM.contains(type)) {
          checkExternalSecretsObject(where, object);
          continue;
        }
        assertThat(SCHEMAS).as("%s has a schema to validate against", where).containsKey(type);
        Object typed = MAPPER.convertValue(object, SCHEMAS.get(type));
        List<String> unknown = new ArrayList<>();
        collectUnknownFields(typed, "", unknown, new IdentityHashMap<>());
        assertThat(unknown).as("%s: fields unknown to the schema", where).isEmpty();
        assertThat(Kustomize.map(object, "metadata").get("namespace"))
            .as("%s namespace", where)
            .isEqualTo(Repo.environment(overlay).equals("prod") ? "campus" : "campus-" + overlay);
      }
    }
  }

  @Test
  void everyObjectPassesTheKubernetesModelsSchemas(@TempDir Path dir) throws IOException {
    for (String overlay : Repo.K8S_OVERLAYS) {
      List<Map<String, Object>> objects = Repo.render(overlay);
      Path input = dir.resolve(overlay + ".json");
      MAPPER.writeValue(input.toFile(), objects);
      Repo.Run run =
          NodeTools.run(
              "kubernetes-models validation of " + overlay, "validate-k8s.mjs", input.toString());
      assertThat(run.exit()).as(run.output()).isZero();
      List<String> lines = run.output().lines().filter(l -> l.startsWith("{")).toList();
      assertThat(lines).as(run.output()).hasSameSizeAs(objects);
      for (String line : lines) {
        Map<String, Object> result = MAPPER.readValue(line, Map.class);
        String id = overlay + " " + result.get("id");
        if (String.valueOf(result.get("id")).startsWith("elbv2.k8s.aws/")) {
          // No published model for the load balancer controller's CRD: checked field by field.
          assertThat(result.get("result")).as(id).isEqualTo("no-model");
        } else {
          assertThat(result.get("result")).as(id + " " + result.get("errors")).isEqualTo("valid");
        }
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void kubernetesModelsRejectAWrongType(@TempDir Path dir) throws IOException {
    Map<String, Object> hpa = Repo.object(Repo.render("prod"), "HorizontalPodAutoscaler", "campus");
    ((Map<String, Object>) hpa.get("spec")).put("maxReplicas", "fifty");
    Path input = dir.resolve("broken.json");
    MAPPER.writeValue(input.toFile(), List.of(hpa));
    Repo.Run run =
        NodeTools.run("kubernetes-models validation", "validate-k8s.mjs", input.toString());
    assertThat(run.output()).contains("\"invalid\"").contains("maxReplicas must be integer");
  }

  @Test
  @SuppressWarnings("unchecked")
  void schemaCheckCatchesAMisspelledField() {
    Map<String, Object> deployment = Repo.object(Repo.render("prod"), "Deployment", "campus");
    Map<String, Object> container =
        (Map<String, Object>)
            ((List<Object>) Kustomize.podSpecs(deployment).get(0).get("containers")).get(0);
    container.put("securityContex", Map.of("runAsNonRoot", true));
    List<String> unknown = new ArrayList<>();
    collectUnknownFields(
        MAPPER.convertValue(deployment, Deployment.class), "", unknown, new IdentityHashMap<>());
    assertThat(unknown).singleElement().asString().contains("securityContex");
  }

  @Test
  void everyContainerIsHardened() {
    for (String overlay : Repo.K8S_OVERLAYS) {
      for (Deployment deployment : all(overlay, Deployment.class)) {
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        String where = overlay + " deployment " + deployment.getMetadata().getName();
        assertThat(pod.getAutomountServiceAccountToken()).as(where).isFalse();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(where).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).as(where).isPositive();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType())
            .isEqualTo("RuntimeDefault");
        List<Container> containers = new ArrayList<>(pod.getContainers());
        containers.addAll(pod.getInitContainers());
        assertThat(containers).isNotEmpty();
        for (Container container : containers) {
          String c = where + " container " + container.getName();
          SecurityContext security = container.getSecurityContext();
          assertThat(security).as(c).isNotNull();
          assertThat(security.getAllowPrivilegeEscalation()).as(c).isFalse();
          assertThat(security.getReadOnlyRootFilesystem()).as(c).isTrue();
          assertThat(security.getRunAsNonRoot()).as(c).isTrue();
          assertThat(security.getPrivileged()).as(c).isNotEqualTo(Boolean.TRUE);
          assertThat(security.getCapabilities().getDrop()).as(c).contains("ALL");
          assertThat(security.getCapabilities().getAdd()).as(c).isNullOrEmpty();
          assertThat(security.getSeccompProfile().getType()).as(c).isEqualTo("RuntimeDefault");

          Map<String, Quantity> requests = container.getResources().getRequests();
          Map<String, Quantity> limits = container.getResources().getLimits();
          assertThat(requests).as(c).containsKeys("cpu", "memory");
          assertThat(limits).as(c).containsKeys("cpu", "memory");
          for (String resource : List.of("cpu", "memory")) {
            assertThat(Quantity.getAmountInBytes(requests.get(resource)))
                .as("%s %s request <= limit", c, resource)
                .isLessThanOrEqualTo(Quantity.getAmountInBytes(limits.get(resource)));
          }

          assertThat(container.getImage()).as(c).doesNotEndWith(":latest").contains("/");

          // /tmp is the only writable path: an emptyDir.
          String tmpVolume =
              container.getVolumeMounts().stream()
                  .filter(m -> m.getMountPath().equals("/tmp"))
                  .map(m -> m.getName())
                  .findFirst()
                  .orElseThrow(() -> new AssertionError(c + " has no /tmp mount"));
          Volume volume =
              pod.getVolumes().stream()
                  .filter(v -> v.getName().equals(tmpVolume))
                  .findFirst()
                  .orElseThrow();
          assertThat(volume.getEmptyDir()).as(c + " /tmp is an emptyDir").isNotNull();

          // No secret value in the manifest: anything secret-looking comes from a Secret.
          for (EnvVar env : container.getEnv()) {
            if (env.getName().matches("(?i).*(PASSWORD|SECRET|TOKEN|CREDENTIAL|REDIS_HOSTS).*")) {
              assertThat(env.getValue()).as(c + " " + env.getName()).isNull();
              assertThat(env.getValueFrom().getSecretKeyRef())
                  .as(c + " " + env.getName() + " from a Secret")
                  .isNotNull();
            }
          }
          assertThat(
                  container.getEnv().stream()
                      .filter(e -> e.getName().equals("QUARKUS_DATASOURCE_PASSWORD"))
                      .map(e -> e.getValueFrom().getSecretKeyRef().getName())
                      .toList())
              .as(c + " database password")
              .containsExactly("campus-db");
        }
      }
      List<Map<String, Object>> objects = Repo.render(overlay);
      assertThat(objects).noneMatch(o -> "Secret".equals(o.get("kind")));
      for (ConfigMap configMap : all(overlay, ConfigMap.class)) {
        assertThat(configMap.getData().keySet())
            .noneMatch(key -> key.matches("(?i).*(PASSWORD|SECRET|TOKEN).*"));
        assertThat(configMap.getData().values())
            .noneMatch(v -> v.matches("(?s).*://[^/@]*:[^/@]*@.*"));
      }
    }
  }

  @Test
  void everyInstanceSignsCachedValuesWithTheSameSecretKey() {
    // Without it each pod makes a random key: no pod can read another's Redis values.
    for (String overlay : Repo.K8S_OVERLAYS) {
      for (Deployment deployment : all(overlay, Deployment.class)) {
        Container app0 = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        var key =
            app0.getEnv().stream()
                .filter(e -> e.getName().equals("CAMPUS_CACHE_HMAC_KEY"))
                .findFirst();
        assertThat(key).as(overlay + ": CAMPUS_CACHE_HMAC_KEY").isPresent();
        assertThat(key.get().getValue()).as("never a literal").isNull();
        var ref = key.get().getValueFrom().getSecretKeyRef();
        List<Map<String, Object>> objects = Repo.render(overlay);
        Map<String, Object> external = Repo.object(objects, "ExternalSecret", ref.getName());
        assertThat(String.valueOf(external.get("spec"))).contains("secretKey=" + ref.getKey());
      }
    }
    assertThat(Repo.read(Repo.TERRAFORM.resolve("modules/cache/main.tf")))
        .contains("hmac_key = random_password.cache_hmac.result");
  }

  @Test
  void probesAndGracefulShutdownFitTheApplication() {
    Properties app = Repo.applicationProperties();
    long shutdownDelay = Duration.parse(app.getProperty("quarkus.shutdown.delay")).toSeconds();
    long shutdownTimeout = Duration.parse(app.getProperty("quarkus.shutdown.timeout")).toSeconds();
    int managementPort = Integer.parseInt(app.getProperty("quarkus.management.port"));
    assertThat(app.getProperty("quarkus.management.enabled")).isEqualTo("true");
    for (String overlay : Repo.K8S_OVERLAYS) {
      for (Deployment deployment : all(overlay, Deployment.class)) {
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container app0 = pod.getContainers().get(0);
        Function<IntOrString, Integer> port =
            p ->
                p.getIntVal() != null
                    ? p.getIntVal()
                    : app0.getPorts().stream()
                        .filter(cp -> p.getStrVal().equals(cp.getName()))
                        .findFirst()
                        .orElseThrow()
                        .getContainerPort();
        Map<String, Probe> probes =
            Map.of(
                "/q/health/started", app0.getStartupProbe(),
                "/q/health/ready", app0.getReadinessProbe(),
                "/q/health/live", app0.getLivenessProbe());
        probes.forEach(
            (path, probe) -> {
              assertThat(probe).as(overlay + " probe " + path).isNotNull();
              HTTPGetAction get = probe.getHttpGet();
              assertThat(get.getPath()).isEqualTo(path);
              assertThat(port.apply(get.getPort())).as(path + " port").isEqualTo(managementPort);
              assertThat(probe.getTimeoutSeconds()).isPositive();
            });
        // The startup probe allows a slow first start; liveness never kills a starting pod.
        assertThat(
                app0.getStartupProbe().getPeriodSeconds()
                    * app0.getStartupProbe().getFailureThreshold())
            .isGreaterThanOrEqualTo(60);

        var preStop = app0.getLifecycle().getPreStop();
        long pause =
            preStop.getSleep() != null ? preStop.getSleep().getSeconds() : Long.MAX_VALUE / 4;
        assertThat(preStop.getSleep()).as(overlay + " preStop pause").isNotNull();
        assertThat(pause).isBetween(3L, 30L);
        assertThat(pod.getTerminationGracePeriodSeconds())
            .as("grace period > preStop + shutdown delay + shutdown timeout")
            .isGreaterThan(pause + shutdownDelay + shutdownTimeout);

        assertThat(pod.getTopologySpreadConstraints())
            .anyMatch(
                t ->
                    t.getTopologyKey().equals("topology.kubernetes.io/zone")
                        && t.getLabelSelector()
                            .getMatchLabels()
                            .equals(deployment.getSpec().getSelector().getMatchLabels()));

        Map<String, String> annotations =
            deployment.getSpec().getTemplate().getMetadata().getAnnotations();
        assertThat(annotations)
            .containsEntry("prometheus.io/scrape", "true")
            .containsEntry("prometheus.io/port", Integer.toString(managementPort))
            .containsEntry("prometheus.io/path", "/q/metrics");
        assertThat(deployment.getSpec().getReplicas()).as("the HPA owns replicas").isNull();
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable())
            .isEqualTo(new IntOrString(0));
      }
    }
  }

  @Test
  void autoscalingDisruptionAndMonitoring() {
    for (String overlay : Repo.K8S_OVERLAYS) {
      Deployment deployment = only(overlay, Deployment.class);
      Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();

      HorizontalPodAutoscaler hpa = only(overlay, HorizontalPodAutoscaler.class);
      assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
      assertThat(hpa.getSpec().getScaleTargetRef().getName())
          .isEqualTo(deployment.getMetadata().getName());
      assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
      Map<String, Integer> targets =
          hpa.getSpec().getMetrics().stream()
              .filter(m -> m.getType().equals("Resource"))
              .collect(
                  Collectors.toMap(
                      m -> m.getResource().getName(),
                      (MetricSpec m) -> m.getResource().getTarget().getAverageUtilization()));
      // CPU only: a JVM's memory does not fall when pods are added (the heap grows towards its cap
      // and keeps what it took), so a memory target, once crossed, adds pods up to maxReplicas
      // and never lets them go; memory pressure is CampusMemoryPressure's to report.
      assertThat(targets).containsExactly(Map.entry("cpu", 70));
      assertThat(hpa.getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds())
          .isGreaterThanOrEqualTo(120);
      if (Repo.environment(overlay).equals("prod")) {
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(50);
      }

      // Memory is guaranteed (request = limit) and a full heap stays below it.
      Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
      assertThat(container.getResources().getRequests().get("memory"))
          .isEqualTo(container.getResources().getLimits().get("memory"));
      if (overlay.endsWith("native")) {
        // A native executable takes its heap limit as an argument, not from JDK_JAVA_OPTIONS.
        assertThat(container.getArgs()).anyMatch(a -> a.matches("-Xmx\\d+m"));
      } else {
        String javaOptions =
            container.getEnv().stream()
                .filter(e -> e.getName().equals("JDK_JAVA_OPTIONS"))
                .findFirst()
                .orElseThrow()
                .getValue();
        java.util.regex.Matcher heap =
            java.util.regex.Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(javaOptions);
        assertThat(heap.find()).isTrue();
        assertThat(Integer.parseInt(heap.group(1))).isLessThanOrEqualTo(60);
      }

      PodDisruptionBudget pdb = only(overlay, PodDisruptionBudget.class);
      assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
      assertThat(
              pdb.getSpec().getMaxUnavailable() != null || pdb.getSpec().getMinAvailable() != null)
          .isTrue();

      Service service = only(overlay, Service.class);
      assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
      Set<String> containerPorts =
          deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().stream()
              .map(p -> p.getName())
              .collect(Collectors.toSet());
      service
          .getSpec()
          .getPorts()
          .forEach(p -> assertThat(containerPorts).contains(p.getTargetPort().getStrVal()));

      ServiceMonitor monitor = only(overlay, ServiceMonitor.class);
      assertThat(service.getMetadata().getLabels())
          .containsAllEntriesOf(monitor.getSpec().getSelector().getMatchLabels());
      assertThat(monitor.getSpec().getEndpoints())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getPort()).isEqualTo("management");
                assertThat(e.getPath()).isEqualTo("/q/metrics");
              });
      assertThat(service.getSpec().getPorts())
          .anyMatch(p -> p.getName().equals("management") && p.getPort() == 9000);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theLoadBalancerReachesThePodsByIpOnTheHttpPortAndHealthChecksReadiness() {
    for (String overlay : Repo.K8S_OVERLAYS) {
      List<Map<String, Object>> objects = Repo.render(overlay);
      assertThat(Kustomize.renderText(Repo.K8S.resolve("overlays").resolve(overlay)))
          .doesNotContain("ingress-nginx");
      Map<String, Object> binding = Repo.object(objects, "TargetGroupBinding", "campus");
      assertThat(binding.get("apiVersion")).isEqualTo("elbv2.k8s.aws/v1beta1");
      Map<String, Object> spec = (Map<String, Object>) binding.get("spec");
      assertThat(spec.keySet()).containsOnly("serviceRef", "targetGroupARN", "targetType");
      assertThat(spec).containsEntry("targetType", "ip");
      assertThat(spec.get("targetGroupARN"))
          .isEqualTo(Repo.overlayValues(overlay).get("TARGET_GROUP_ARN"));
      Service service = only(overlay, Service.class);
      assertThat((Map<String, Object>) spec.get("serviceRef"))
          .containsEntry("name", service.getMetadata().getName())
          .containsEntry("port", "http");
      assertThat(service.getSpec().getPorts())
          .anyMatch(
              p -> p.getName().equals("http") && p.getTargetPort().getStrVal().equals("http"));
    }
  }

  @Test
  void networkPolicyAdmitsTheLoadBalancerAndPrometheusAndLetsOutOnlyDnsPostgresRedisAndSmtp() {
    for (String overlay : Repo.K8S_OVERLAYS) {
      Map<String, String> values = Repo.overlayValues(overlay);
      Deployment deployment = only(overlay, Deployment.class);
      NetworkPolicy policy = only(overlay, NetworkPolicy.class);
      assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
          .containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
      assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
      Set<String> admitted = new java.util.TreeSet<>();
      for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
        assertThat(rule.getFrom()).as("a rule without 'from' admits everyone").isNotEmpty();
        assertThat(rule.getPorts()).as("a rule without ports admits every port").isNotEmpty();
        for (NetworkPolicyPeer peer : rule.getFrom()) {
          String source =
              peer.getIpBlock() != null
                  ? "alb:"
                      + peer.getIpBlock().getCidr()
                      + " except "
                      + peer.getIpBlock().getExcept()
                  : "ns:"
                      + peer.getNamespaceSelector()
                          .getMatchLabels()
                          .get("kubernetes.io/metadata.name")
                      + "/"
                      + peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/name");
          rule.getPorts().forEach(p -> admitted.add(source + " -> " + p.getPort().getStrVal()));
        }
      }
      // The public subnets' block also spans the data subnets, which are excepted.
      String alb =
          "alb:"
              + values.get("PUBLIC_SUBNETS_CIDR")
              + " except ["
              + values.get("DATA_SUBNETS_CIDR")
              + "]";
      assertThat(admitted)
          .containsExactlyInAnyOrder(
              alb + " -> http", alb + " -> management", "ns:monitoring/prometheus -> management");

      Set<String> egress = new java.util.TreeSet<>();
      for (var rule : policy.getSpec().getEgress()) {
        assertThat(rule.getTo()).as("an egress rule without 'to' lets out everywhere").isNotEmpty();
        for (var peer : rule.getTo()) {
          String target =
              peer.getIpBlock() != null
                  ? peer.getIpBlock().getCidr()
                      + (peer.getIpBlock().getExcept() == null
                              || peer.getIpBlock().getExcept().isEmpty()
                          ? ""
                          : " except " + peer.getIpBlock().getExcept())
                  : peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name")
                      + "/"
                      + peer.getPodSelector().getMatchLabels().get("k8s-app");
          rule.getPorts()
              .forEach(
                  p -> egress.add(target + ":" + p.getProtocol() + "/" + p.getPort().getIntVal()));
        }
      }
      String data = values.get("DATA_SUBNETS_CIDR");
      assertThat(egress)
          .containsExactlyInAnyOrder(
              "kube-system/kube-dns:UDP/53",
              "kube-system/kube-dns:TCP/53",
              data + ":TCP/5432",
              data + ":TCP/6379",
              // SMTP submission of the account mails: public addresses only, never the VPC, the
              // cluster or the instance metadata service.
              "0.0.0.0/0 except [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16,"
                  + " 100.64.0.0/10]:TCP/587");
      assertThat(Repo.configMapData(Repo.render(overlay)))
          .as("the mailer uses the port the policy lets out")
          .containsEntry("QUARKUS_MAILER_PORT", "587");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void secretsComeFromTheArnsTerraformWroteAndRollThePodsWhenTheyChange() {
    for (String overlay : Repo.K8S_OVERLAYS) {
      Map<String, String> values = Repo.overlayValues(overlay);
      List<Map<String, Object>> objects = Repo.render(overlay);
      Map<String, String> expected =
          Map.of(
              "campus-db", values.get("DB_APP_SECRET_ARN"),
              "campus-db-migrator", values.get("DB_MIGRATOR_SECRET_ARN"),
              "campus-redis", values.get("REDIS_SECRET_ARN"),
              "campus-mail", values.get("MAIL_SECRET_ARN"));
      expected.forEach(
          (name, arn) -> {
            assertThat(arn).matches("arn:aws:secretsmanager:[a-z0-9-]+:\\d{12}:secret:.+");
            Map<String, Object> secret = Repo.object(objects, "ExternalSecret", name);
            for (Object item :
                (List<Object>) ((Map<String, Object>) secret.get("spec")).get("data")) {
              Map<String, Object> ref =
                  (Map<String, Object>) ((Map<String, Object>) item).get("remoteRef");
              assertThat(ref.get("key")).as(overlay + " " + name).isEqualTo(arn);
            }
          });
      ServiceAccount account = only(overlay, ServiceAccount.class);
      assertThat(account.getMetadata().getAnnotations())
          .containsEntry("eks.amazonaws.com/role-arn", values.get("APP_ROLE_ARN"));
      Deployment deployment = only(overlay, Deployment.class);
      assertThat(deployment.getMetadata().getAnnotations())
          .as("Reloader restarts the pods when a rotated secret is synced")
          .containsEntry(
              "secret.reloader.stakater.com/reload",
              "campus-db,campus-db-migrator,campus-redis,campus-mail");
      Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
      Map<String, String> fromSecret =
          container.getEnv().stream()
              .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
              .collect(
                  Collectors.toMap(
                      EnvVar::getName, e -> e.getValueFrom().getSecretKeyRef().getName()));
      assertThat(fromSecret)
          .containsEntry("QUARKUS_DATASOURCE_USERNAME", "campus-db")
          .containsEntry("QUARKUS_DATASOURCE_PASSWORD", "campus-db")
          .containsEntry("QUARKUS_FLYWAY_USERNAME", "campus-db-migrator")
          .containsEntry("QUARKUS_FLYWAY_PASSWORD", "campus-db-migrator")
          .containsEntry("QUARKUS_REDIS_HOSTS", "campus-redis")
          .containsEntry("QUARKUS_MAILER_USERNAME", "campus-mail")
          .containsEntry("QUARKUS_MAILER_PASSWORD", "campus-mail");
      // Requests log in as the application role, migrations as the migration role: no other
      // database login (the master user's secret above all) reaches the pods, nor a literal one.
      assertThat(new java.util.HashSet<>(fromSecret.values()))
          .containsExactlyInAnyOrder(
              "campus-db", "campus-db-migrator", "campus-redis", "campus-mail");
      assertThat(container.getEnv())
          .filteredOn(e -> e.getName().matches("QUARKUS_(DATASOURCE|FLYWAY)_(USERNAME|PASSWORD)"))
          .allMatch(e -> e.getValue() == null);
      Map<String, Object> config = Repo.object(objects, "ConfigMap", configMapName(objects));
      assertThat(((Map<String, Object>) config.get("data")).keySet())
          .noneMatch(k -> k.matches(".*(USERNAME|PASSWORD).*"));
    }
  }

  @Test
  void accountMailsGoToTheSmtpServerTerraformNamedWithStartTlsRequired() {
    for (String overlay : Repo.K8S_OVERLAYS) {
      Map<String, String> settings = Repo.overlaySettings(overlay);
      Map<String, String> config = Repo.configMapData(Repo.render(overlay));
      // Production sends (the mock mailbox only logs), over SMTP submission upgraded by STARTTLS
      // before the login; a server without STARTTLS fails the send instead of getting it in clear.
      assertThat(config)
          .as(overlay)
          .containsEntry("QUARKUS_MAILER_MOCK", "false")
          .containsEntry("QUARKUS_MAILER_START_TLS", "REQUIRED")
          .containsEntry("QUARKUS_MAILER_PORT", "587")
          .containsEntry("QUARKUS_MAILER_TLS", "false")
          .doesNotContainKey("QUARKUS_MAILER_TRUST_ALL")
          .containsEntry("QUARKUS_MAILER_HOST", settings.get("QUARKUS_MAILER_HOST"))
          .containsEntry("QUARKUS_MAILER_FROM", settings.get("QUARKUS_MAILER_FROM"));
      assertThat(config.get("QUARKUS_MAILER_HOST")).as(overlay).matches("[a-z0-9.-]+\\.[a-z]+");
      assertThat(config.get("QUARKUS_MAILER_FROM")).as(overlay).contains("@");
      Container container =
          only(overlay, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
      assertThat(container.getEnv())
          .filteredOn(e -> e.getName().startsWith("QUARKUS_MAILER_"))
          .as(overlay + ": the SMTP login comes from the campus-mail secret, nothing else")
          .extracting(EnvVar::getName)
          .containsExactlyInAnyOrder("QUARKUS_MAILER_USERNAME", "QUARKUS_MAILER_PASSWORD");
      assertThat(container.getEnv())
          .filteredOn(e -> e.getName().startsWith("QUARKUS_MAILER_"))
          .allMatch(
              e ->
                  e.getValue() == null
                      && "campus-mail".equals(e.getValueFrom().getSecretKeyRef().getName()));
      assertThat(container.getEnvFrom())
          .as(overlay + ": no secret by envFrom")
          .allMatch(e -> e.getSecretRef() == null);
    }
  }

  @SuppressWarnings("unchecked")
  private static String configMapName(List<Map<String, Object>> objects) {
    return objects.stream()
        .filter(o -> "ConfigMap".equals(o.get("kind")))
        .map(o -> (String) ((Map<String, Object>) o.get("metadata")).get("name"))
        .filter(n -> n.startsWith("campus-config"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void jvmOptionsOnlySizeTheHeapAndCertificatesArePemFilesNotAJvmTrustStore() {
    for (String overlay : Repo.K8S_OVERLAYS) {
      Deployment deployment = only(overlay, Deployment.class);
      Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
      String options =
          container.getEnv().stream()
              .filter(e -> e.getName().equals("JDK_JAVA_OPTIONS"))
              .map(EnvVar::getValue)
              .findFirst()
              .orElse("");
      // JDK_JAVA_OPTIONS replaces the image's variable: it may only size, never drop what the
      // image's entry point needs (log manager, GC, tmpdir).
      for (String option : options.split("\\s+")) {
        if (!option.isBlank()) {
          assertThat(option)
              .as(overlay)
              .matches("-XX:(MaxRAMPercentage|ActiveProcessorCount)=\\d+");
        }
      }
      // event loops and GC threads beyond the CPU limit are throttled, which reads as event-loop
      // lag (and shifts Redis timeouts onto the lag's account)
      java.util.regex.Matcher processors =
          java.util.regex.Pattern.compile("-XX:ActiveProcessorCount=(\\d+)").matcher(options);
      if (processors.find()) {
        assertThat(Integer.parseInt(processors.group(1)))
            .as(overlay + ": ActiveProcessorCount within the CPU limit")
            .isLessThanOrEqualTo(
                (int)
                    Quantity.getAmountInBytes(container.getResources().getLimits().get("cpu"))
                        .doubleValue());
      }
      ConfigMap config =
          all(overlay, ConfigMap.class).stream()
              .filter(c -> c.getMetadata().getName().startsWith("campus-config"))
              .findFirst()
              .orElseThrow();
      assertThat(config.getData().get("QUARKUS_DATASOURCE_JDBC_URL"))
          .contains("sslmode=verify-full")
          .contains("sslrootcert=/etc/campus/tls/rds-ca.pem")
          .doesNotContain("DefaultJavaSSLFactory");
      assertThat(config.getData().get("QUARKUS_DATASOURCE_REACTIVE_URL"))
          .contains("sslmode=verify-full");
      // Every PostgreSQL and Redis client verifies certificate and host name against the CA
      // bundles of named Quarkus TLS configurations (BackendTls refuses anything less).
      assertThat(config.getData())
          .containsEntry("CAMPUS_OPS_DB_TLS_CONFIGURATION_NAME", "rds")
          .containsEntry("QUARKUS_TLS_RDS_TRUST_STORE_PEM_CERTS", "/etc/campus/tls/rds-ca.pem")
          .containsEntry("QUARKUS_REDIS_TLS_CONFIGURATION_NAME", "elasticache")
          .containsEntry(
              "QUARKUS_TLS_ELASTICACHE_TRUST_STORE_PEM_CERTS", "/etc/campus/elasticache-ca/ca.pem")
          .doesNotContainKey("QUARKUS_DATASOURCE_REACTIVE_TRUST_CERTIFICATE_PEM_CERTS");
      assertThat(config.getData().values()).noneMatch(v -> v.contains("sslmode=require"));
      assertThat(Kustomize.renderText(Repo.K8S.resolve("overlays").resolve(overlay)))
          .doesNotContain("javax.net.ssl.trustStore")
          .doesNotContain("truststore.p12");
      assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
          .anyMatch(
              v -> v.getConfigMap() != null && v.getConfigMap().getName().equals("campus-rds-ca"))
          .anyMatch(
              v ->
                  v.getConfigMap() != null
                      && v.getConfigMap().getName().equals("campus-elasticache-ca"));
      assertThat(container.getVolumeMounts())
          .anyMatch(m -> m.getMountPath().equals("/etc/campus/tls"))
          .anyMatch(m -> m.getMountPath().equals("/etc/campus/elasticache-ca"));
    }
  }

  @SuppressWarnings("unchecked")
  private static void checkExternalSecretsObject(String where, Map<String, Object> object) {
    Map<String, Object> spec = (Map<String, Object>) object.get("spec");
    assertThat(spec).as(where).isNotNull();
    if ("TargetGroupBinding".equals(object.get("kind"))) {
      // Fields of the published CRD (elbv2.k8s.aws v1beta1) this deployment may use.
      assertThat(spec.keySet())
          .as(where)
          .isSubsetOf("serviceRef", "targetGroupARN", "targetType", "networking", "ipAddressType");
      assertThat(((Map<String, Object>) spec.get("serviceRef")).keySet())
          .as(where)
          .containsExactlyInAnyOrder("name", "port");
      assertThat((String) spec.get("targetGroupARN"))
          .as(where)
          .matches("arn:aws:elasticloadbalancing:[a-z0-9-]+:\\d{12}:targetgroup/.+");
      assertThat(spec.get("targetType")).as(where).isIn("ip", "instance");
      return;
    }
    if ("SecretStore".equals(object.get("kind"))) {
      Map<String, Object> aws =
          (Map<String, Object>) ((Map<String, Object>) spec.get("provider")).get("aws");
      assertThat(aws).as(where).containsEntry("service", "SecretsManager");
      assertThat(aws.keySet()).as(where).containsOnly("service", "region", "auth");
      // Authenticated by the service account's IAM role, never by stored access keys.
      assertThat((Map<String, Object>) aws.get("auth")).as(where).containsOnlyKeys("jwt");
      return;
    }
    assertThat(spec.keySet())
        .as(where)
        .containsOnly("refreshInterval", "secretStoreRef", "target", "data");
    for (Object item : (List<Object>) spec.get("data")) {
      Map<String, Object> data = (Map<String, Object>) item;
      assertThat(data.keySet()).as(where).containsOnly("secretKey", "remoteRef");
      Map<String, Object> ref = (Map<String, Object>) data.get("remoteRef");
      assertThat(ref.keySet()).as(where).containsOnly("key", "property");
      assertThat((String) ref.get("key"))
          .as(where + ": the secret's ARN from terraform-outputs.env")
          .matches("arn:aws:secretsmanager:[a-z0-9-]+:\\d{12}:secret:.+");
    }
  }

  /** Fields the typed model did not recognise end up in additionalProperties: none allowed. */
  private static void collectUnknownFields(
      Object value, String path, List<String> unknown, IdentityHashMap<Object, Boolean> seen) {
    if (value == null || seen.put(value, Boolean.TRUE) != null) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        collectUnknownFields(item, path + "[" + i++ + "]", unknown, seen);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> collectUnknownFields(v, path + "." + k, unknown, seen));
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method method : value.getClass().getMethods()) {
      if (method.getParameterCount() != 0
          || Modifier.isStatic(method.getModifiers())
          || !method.getName().startsWith("get")
          || method.getDeclaringClass() == Object.class) {
        continue;
      }
      try {
        Object child = method.invoke(value);
        if (method.getName().equals("getAdditionalProperties")) {
          if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
            unknown.add(path + " " + extra.keySet());
          }
        } else {
          collectUnknownFields(child, path + "." + method.getName().substring(3), unknown, seen);
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        // computed getters that need more state than the model holds
      }
    }
  }

  private static <T> List<T> all(String overlay, Class<T> type) {
    String kind = type.getSimpleName();
    return Repo.render(overlay).stream()
        .filter(o -> kind.equals(o.get("kind")))
        .map(o -> MAPPER.convertValue(o, type))
        .toList();
  }

  private static <T> T only(String overlay, Class<T> type) {
    List<T> all = all(overlay, type);
    assertThat(all).as(overlay + " " + type.getSimpleName()).hasSize(1);
    return all.get(0);
  }
}
