package io.campus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * At full scale-out every replica holds its whole pool, so PostgreSQL must accept HPA maxReplicas x
 * connections per replica plus a reserve. The three numbers come from the real files: the HPA of
 * each overlay, the pool size (overlay environment, else application.properties) and RDS
 * max_connections of the matching Terraform environment (its tfvars).
 */
class ConnectionBudgetTest {

  /** Administration, replication, migrations run by hand, monitoring. */
  private static final int RESERVE = 20;

  @Test
  @SuppressWarnings("unchecked")
  void maxReplicasTimesPoolSizePlusReserveFitsMaxConnections() {
    Properties app = Repo.applicationProperties();
    for (String env : Repo.OVERLAYS) {
      List<Map<String, Object>> objects = Repo.render(env);
      Map<String, Object> hpa = Repo.object(objects, "HorizontalPodAutoscaler", "campus");
      int maxReplicas =
          ((Number) ((Map<String, Object>) hpa.get("spec")).get("maxReplicas")).intValue();

      Map<String, String> environment = containerEnvironment(objects);
      int pool =
          Integer.parseInt(
              setting(environment, app, "quarkus.datasource.reactive.max-size").orElseThrow());
      // Flyway's JDBC pool (start-up only, but it may still hold its connections) and the
      // readiness probe's own connection come on top of the reactive pool.
      int jdbc =
          Integer.parseInt(
              setting(environment, app, "quarkus.datasource.jdbc.max-size").orElse("20"));
      int probe = 1;
      // The pipelined client of the hottest reads holds connections of its own.
      int reads =
          Integer.parseInt(
              setting(environment, app, "campus.ops.db.read-connections").orElseThrow());
      // And the pipelined client of the hottest writes.
      int writes =
          Integer.parseInt(
              setting(environment, app, "campus.ops.db.write-connections").orElseThrow());
      // The optional read replica's pool: counted against the primary too, since an operator may
      // point campus.datasource.read.url at any server (and a replica has the same
      // max_connections).
      int replica =
          Integer.parseInt(
              setting(environment, app, "campus.datasource.read.max-size").orElseThrow());
      int perReplica = pool + jdbc + probe + reads + writes + replica;

      Terraform tf = Terraform.environment(env);
      Map<String, Object> database = tf.all("module").get("database");
      assertThat(String.valueOf(database.get("source"))).isEqualTo("../modules/database");
      int maxConnections = (int) tf.number(database.get("max_connections"));
      // The alarm is sized from the same number.
      assertThat(String.valueOf(tf.all("module").get("alarms").get("db_max_connections")))
          .isEqualTo(String.valueOf(database.get("max_connections")));

      // A rolling update at full scale-out runs the surge pods next to the old ones, and the old
      // pods it has already replaced keep their pools while they terminate (preStop pause and
      // shutdown; a Deployment does not count them against the surge): about one more surge.
      int surge = NodeCapacityTest.surge(Repo.object(objects, "Deployment", "campus"), maxReplicas);
      int peak = maxReplicas + 2 * surge;
      int needed = peak * perReplica + RESERVE;
      assertThat(needed)
          .as(
              "%s: (%d replicas + surge and as many terminating = %d) x (%d pool + %d jdbc + %d probe + %d pipelined"
                  + " reads + %d pipelined writes + %d read replica) + %d reserve <="
                  + " max_connections %d",
              env,
              maxReplicas,
              peak,
              pool,
              jdbc,
              probe,
              reads,
              writes,
              replica,
              RESERVE,
              maxConnections)
          .isLessThanOrEqualTo(maxConnections);
      if (env.equals("prod")) {
        assertThat(maxReplicas).isEqualTo(50);
        assertThat(pool).isEqualTo(8);
      }
    }
  }

  /** Environment of the campus container: literal env entries plus envFrom ConfigMaps. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> containerEnvironment(List<Map<String, Object>> objects) {
    Map<String, Object> deployment = Repo.object(objects, "Deployment", "campus");
    Map<String, Object> container =
        (Map<String, Object>)
            ((List<Object>) Kustomize.podSpecs(deployment).get(0).get("containers")).get(0);
    Map<String, String> env = new java.util.HashMap<>();
    for (Object from : (List<Object>) container.getOrDefault("envFrom", List.of())) {
      Map<String, Object> ref =
          (Map<String, Object>) ((Map<String, Object>) from).get("configMapRef");
      Map<String, Object> configMap = Repo.object(objects, "ConfigMap", (String) ref.get("name"));
      ((Map<String, Object>) configMap.get("data")).forEach((k, v) -> env.put(k, (String) v));
    }
    for (Object item : (List<Object>) container.getOrDefault("env", List.of())) {
      Map<String, Object> e = (Map<String, Object>) item;
      if (e.get("value") != null) {
        env.put((String) e.get("name"), (String) e.get("value"));
      }
    }
    return env;
  }

  private static Optional<String> setting(
      Map<String, String> env, Properties app, String property) {
    String variable = property.toUpperCase().replaceAll("[^A-Z0-9]", "_");
    return Optional.ofNullable(env.get(variable))
        .or(() -> Optional.ofNullable(app.getProperty(property)));
  }
}
