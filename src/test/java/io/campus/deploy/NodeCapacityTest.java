package io.campus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A scale-out from min to max replicas, plus the rolling update's surge on top, is schedulable:
 * pods per node (node allocatable minus the daemon sets, divided by the pod's requests) times the
 * nodes the cluster autoscaler may start per zone covers the pods the zone spread puts in each
 * zone. The numbers come from the overlays and the environment's tfvars.
 */
class NodeCapacityTest {

  /** vCPU, memory (MiB) and max pods (ENI limit) of the instance types the tfvars may name. */
  private record Instance(int vcpu, long memoryMib, int maxPods) {}

  private static final Map<String, Instance> INSTANCES =
      Map.of(
          "t4g.large", new Instance(2, 8192, 35),
          "t4g.xlarge", new Instance(4, 16384, 58),
          "m6g.xlarge", new Instance(4, 16384, 58),
          "m7g.xlarge", new Instance(4, 16384, 58),
          "m7g.2xlarge", new Instance(8, 32768, 58),
          "c7g.xlarge", new Instance(4, 8192, 58));

  /** Per node: aws-node, kube-proxy, the network policy agent, CloudWatch agent, node exporter. */
  private static final int DAEMONSET_CPU_MILLIS = 500;

  private static final long DAEMONSET_MEMORY_MIB = 768;

  /** One node per zone is kept for the cluster's own pods (add-ons, Prometheus, Grafana). */
  private static final int ADDON_NODES_PER_ZONE = 1;

  private static final int ZONES = 3;

  @Test
  @SuppressWarnings("unchecked")
  void peakPodsFitTheNodesTheAutoscalerMayStartInEachZone() {
    for (String overlay : Repo.K8S_OVERLAYS) {
      String env = Repo.environment(overlay);
      Map<String, Object> tfvars = Terraform.parse(Terraform.tfvars(env));
      List<String> types = (List<String>) tfvars.get("node_instance_types");
      int maxNodesPerZone = ((Number) tfvars.get("nodes_per_zone_max")).intValue();

      List<Map<String, Object>> objects = Repo.render(overlay);
      Map<String, Object> hpa = Repo.object(objects, "HorizontalPodAutoscaler", "campus");
      int maxReplicas =
          ((Number) ((Map<String, Object>) hpa.get("spec")).get("maxReplicas")).intValue();
      Map<String, Object> deployment = Repo.object(objects, "Deployment", "campus");
      int peak = maxReplicas + surge(deployment, maxReplicas);
      Map<String, Object> container =
          (Map<String, Object>)
              ((List<Object>) Kustomize.podSpecs(deployment).get(0).get("containers")).get(0);
      Map<String, Object> requests =
          (Map<String, Object>) ((Map<String, Object>) container.get("resources")).get("requests");
      long podCpu = millis(String.valueOf(requests.get("cpu")));
      long podMemory = mebibytes(String.valueOf(requests.get("memory")));

      // The smallest type in the list bounds what one node holds.
      int podsPerNode = Integer.MAX_VALUE;
      for (String type : types) {
        Instance instance = INSTANCES.get(type);
        assertThat(instance).as("%s: size of %s known to this check", env, type).isNotNull();
        long cpu =
            instance.vcpu() * 1000L - kubeReservedCpu(instance.vcpu()) - DAEMONSET_CPU_MILLIS;
        long memory =
            instance.memoryMib() - (255 + 11L * instance.maxPods()) - 100 - DAEMONSET_MEMORY_MIB;
        int fit =
            (int) Math.min(Math.min(cpu / podCpu, memory / podMemory), instance.maxPods() - 6);
        podsPerNode = Math.min(podsPerNode, fit);
      }
      // DoNotSchedule zone spread with maxSkew 1: the fullest zone holds ceil(peak / 3) pods.
      int perZone = (peak + ZONES - 1) / ZONES;
      int nodesNeeded = (perZone + podsPerNode - 1) / podsPerNode + ADDON_NODES_PER_ZONE;
      assertThat(maxNodesPerZone)
          .as(
              "%s: %d replicas + surge = %d pods, %d per zone, %d pods per node (%s) -> %d nodes per zone"
                  + " (with %d for add-ons) <= nodes_per_zone_max %d",
              overlay,
              maxReplicas,
              peak,
              perZone,
              podsPerNode,
              types,
              nodesNeeded,
              ADDON_NODES_PER_ZONE,
              maxNodesPerZone)
          .isGreaterThanOrEqualTo(nodesNeeded);
      assertThat(podsPerNode).as(overlay + " pods per node").isPositive();
    }
  }

  /** Pods a rolling update adds on top (maxSurge, percentages rounded up as Kubernetes does). */
  @SuppressWarnings("unchecked")
  static int surge(Map<String, Object> deployment, int replicas) {
    Map<String, Object> strategy =
        (Map<String, Object>) ((Map<String, Object>) deployment.get("spec")).get("strategy");
    Object value = ((Map<String, Object>) strategy.get("rollingUpdate")).get("maxSurge");
    String text = String.valueOf(value);
    if (text.endsWith("%")) {
      int percent = Integer.parseInt(text.substring(0, text.length() - 1));
      return (replicas * percent + 99) / 100;
    }
    return Integer.parseInt(text);
  }

  /** EKS AL2023 kube-reserved CPU: 6% of the first core, 1% of the second, 0.5% of two more. */
  private static long kubeReservedCpu(int vcpu) {
    double reserved = 60 + (vcpu > 1 ? 10 : 0) + 5 * Math.min(2, Math.max(0, vcpu - 2));
    reserved += 2.5 * Math.max(0, vcpu - 4);
    return (long) Math.ceil(reserved);
  }

  private static long millis(String cpu) {
    return Quantity.getAmountInBytes(new Quantity(cpu))
        .multiply(BigDecimal.valueOf(1000))
        .longValue();
  }

  private static long mebibytes(String memory) {
    return Quantity.getAmountInBytes(new Quantity(memory)).longValue() / (1024 * 1024);
  }
}
