package io.campus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Parses every Terraform file with hcl4j and checks the rules of the infrastructure. */
class TerraformTest {

  private static final List<String> MODULES =
      List.of("network", "eks", "database", "cache", "edge", "alarms");

  private static List<Path> moduleDirectories() {
    List<Path> dirs = new ArrayList<>();
    MODULES.forEach(m -> dirs.add(Repo.TERRAFORM.resolve("modules").resolve(m)));
    dirs.add(Terraform.ROOT);
    return dirs;
  }

  @Test
  void everyFileParsesAndEveryVariableAndOutputIsDescribed() {
    List<Path> files = Repo.files(Repo.TERRAFORM, ".tf");
    assertThat(files).hasSizeGreaterThanOrEqualTo(20);
    files.forEach(Terraform::parse);
    for (Path dir : moduleDirectories()) {
      Terraform tf = new Terraform(dir);
      assertThat(tf.all("variable")).as(dir.toString()).isNotEmpty();
      tf.all("variable")
          .forEach(
              (name, body) -> {
                assertThat(String.valueOf(body.get("description")))
                    .as("%s variable %s description", dir, name)
                    .isNotBlank()
                    .isNotEqualTo("null");
                assertThat(body.get("type")).as("%s variable %s type", dir, name).isNotNull();
              });
      tf.all("output")
          .forEach(
              (name, body) ->
                  assertThat(String.valueOf(body.get("description")))
                      .as("%s output %s description", dir, name)
                      .isNotBlank()
                      .isNotEqualTo("null"));
    }
    // The root's inputs are what people type: each one that is not a flag is validated.
    Terraform root = new Terraform(Terraform.ROOT);
    root.all("variable")
        .forEach(
            (name, body) -> {
              if (!String.valueOf(body.get("type")).contains("bool")) {
                assertThat(body.get("validation")).as("variable %s validation", name).isNotNull();
              }
            });
  }

  @Test
  void eachEnvironmentSetsEveryInputWithoutADefault() {
    Map<String, Map<String, Object>> variables = new Terraform(Terraform.ROOT).all("variable");
    Set<String> required = new TreeSet<>();
    variables.forEach(
        (name, body) -> {
          if (!body.containsKey("default")) {
            required.add(name);
          }
        });
    // Given at apply time: the certificate is issued for the environment's host name.
    required.remove("certificate_arn");
    required.remove("runbook_base_url");
    // The account mails' sender: an address of the operator's domain, verified by the provider.
    required.remove("mail_from");
    for (String env : Repo.OVERLAYS) {
      Map<String, Object> values = Terraform.parse(Terraform.tfvars(env));
      assertThat(variables)
          .as(env + ".tfvars sets only declared inputs")
          .containsKeys(values.keySet().toArray(String[]::new));
      assertThat(values).as(env + ".tfvars").containsKeys(required.toArray(String[]::new));
      assertThat(values).containsEntry("environment", env);
    }
  }

  @Test
  void noCredentialIsWrittenInTheConfiguration() {
    Pattern secretAttribute =
        Pattern.compile(
            "(?m)^\\s*(([a-z_]*_)?(password|secret|token|access_key|secret_key|private_key))"
                + "\\s*=\\s*\"([^\"]*)\"");
    Pattern awsKey = Pattern.compile("(AKIA|ASIA)[0-9A-Z]{16}");
    List<Path> files = new ArrayList<>(Repo.files(Repo.TERRAFORM, ".tf"));
    files.addAll(Repo.files(Repo.TERRAFORM, ".tfvars"));
    for (Path file : files) {
      String text = Repo.read(file);
      Matcher m = secretAttribute.matcher(text);
      while (m.find()) {
        String value = m.group(4);
        assertThat(value.isEmpty() || value.matches("\\$\\{[^}]+}"))
            .as("%s: %s is a literal", file, m.group(1))
            .isTrue();
      }
      assertThat(awsKey.matcher(text).find()).as(file + " contains an access key").isFalse();
      assertThat(text).as(file.toString()).doesNotContain("PRIVATE KEY");
    }
    assertThat(new Terraform(Terraform.ROOT).all("provider").get("aws"))
        .as("credentials come from the environment, not the provider block")
        .doesNotContainKeys("access_key", "secret_key", "token");
    Terraform database = new Terraform(Repo.TERRAFORM.resolve("modules/database"));
    Map<String, Object> primary = database.resources("aws_db_instance").get("primary");
    assertThat(primary)
        .containsEntry("manage_master_user_password", true)
        .doesNotContainKey("password");
  }

  @Test
  @SuppressWarnings("unchecked")
  void databaseIsMultiAzWithPgStatStatements() {
    Terraform tf = new Terraform(Repo.TERRAFORM.resolve("modules/database"));
    Map<String, Map<String, Object>> instances = tf.resources("aws_db_instance");
    assertThat(instances.get("primary"))
        .containsEntry("multi_az", true)
        .containsEntry("storage_encrypted", true)
        .containsEntry("publicly_accessible", false);
    List<Map<String, Object>> parameters =
        (List<Map<String, Object>>)
            tf.resources("aws_db_parameter_group").get("this").get("parameter");
    assertThat(parameters)
        .anyMatch(
            p ->
                p.get("name").equals("shared_preload_libraries")
                    && String.valueOf(p.get("value")).contains("pg_stat_statements"));
    assertThat(parameters)
        .anyMatch(p -> p.get("name").equals("max_connections"))
        .filteredOn(p -> p.get("name").equals("max_connections"))
        .allMatch(p -> String.valueOf(p.get("value")).contains("var.max_connections"));
    // Every instance uses the group that carries these settings.
    instances
        .values()
        .forEach(
            i ->
                assertThat(String.valueOf(i.get("parameter_group_name")))
                    .isEqualTo("aws_db_parameter_group.this.name"));
  }

  @Test
  void redisIsAReplicatedEncryptedGroupOfThree() {
    Terraform tf = new Terraform(Repo.TERRAFORM.resolve("modules/cache"));
    Map<String, Object> group = tf.resources("aws_elasticache_replication_group").get("this");
    assertThat(group)
        .containsEntry("automatic_failover_enabled", true)
        .containsEntry("multi_az_enabled", true)
        .containsEntry("transit_encryption_enabled", true)
        .containsEntry("at_rest_encryption_enabled", true);
    assertThat(tf.number(group.get("num_cache_clusters"))).isEqualTo(3);
    for (String env : Repo.OVERLAYS) {
      Terraform environment = Terraform.environment(env);
      assertThat(environment.number(environment.all("module").get("cache").get("node_count")))
          .isEqualTo(3);
    }
  }

  @Test
  void securityGroupsAdmitOnlyWhatTheyServe() {
    for (String module : List.of("database", "cache")) {
      Terraform tf = new Terraform(Repo.TERRAFORM.resolve("modules").resolve(module));
      var rules = tf.resources("aws_vpc_security_group_ingress_rule");
      assertThat(rules).as(module).isNotEmpty();
      rules.forEach(
          (name, rule) -> {
            assertThat(rule).as(module + " " + name).containsKey("referenced_security_group_id");
            assertThat(rule).doesNotContainKeys("cidr_ipv4", "cidr_ipv6");
            assertThat(((Number) rule.get("from_port")).intValue())
                .isEqualTo(((Number) rule.get("to_port")).intValue());
          });
      assertThat(tf.resources("aws_vpc_security_group_egress_rule")).as(module).isEmpty();
      assertThat(tf.resources("aws_security_group").get("this"))
          .doesNotContainKeys("ingress", "egress");
    }
    for (Path file : Repo.files(Repo.TERRAFORM, ".tf")) {
      if (!file.startsWith(Repo.TERRAFORM.resolve("modules/edge"))) {
        assertThat(Repo.read(file))
            .as(file.toString())
            .doesNotContain("0.0.0.0/0\"\n    ip_protocol");
      }
    }
  }

  /**
   * A Prometheus alert reaches a person: Alertmanager (whose chart default receiver drops every
   * alert) sends critical ones to the topic that pages and the rest to the one that opens tickets,
   * publishing as a role that may do exactly that.
   */
  @Test
  void alertmanagerDeliversAlertsToTheAlarmTopics() {
    String addons = Repo.read(Repo.TERRAFORM.resolve("modules/cluster-addons/main.tf"));
    String root = Repo.read(Terraform.ROOT.resolve("main.tf"));
    int alertmanager = addons.indexOf("alertmanager = {");
    assertThat(alertmanager).as("Alertmanager configured in the monitoring release").isPositive();
    String config = addons.substring(alertmanager);
    assertThat(config)
        .contains("matchers = [\"severity=\\\"critical\\\"\"]")
        .contains("topic_arn = var.alert_topic_arns.critical")
        .contains("topic_arn = var.alert_topic_arns.warning")
        .contains("\"eks.amazonaws.com/role-arn\" = module.alertmanager_irsa.iam_role_arn");
    assertThat(addons)
        .contains("\"sns:Publish\"")
        .contains("Resource = [var.alert_topic_arns.critical, var.alert_topic_arns.warning]");
    assertThat(root)
        .contains("critical = module.alarms.critical_topic_arn")
        .contains("warning  = module.alarms.warning_topic_arn");
  }

  @Test
  void vpcSpansThreeZonesAndEveryAlarmExists() {
    Terraform tf = new Terraform(Terraform.ROOT);
    assertThat((List<?>) tf.all("variable").get("availability_zones").get("default")).hasSize(3);
    for (String env : Repo.OVERLAYS) {
      assertThat(Terraform.parse(Terraform.tfvars(env))).doesNotContainKey("availability_zones");
    }
    assertThat(tf.all("module"))
        .containsKeys("network", "eks", "database", "cache", "edge", "alarms");
    String alarms = Repo.read(Repo.TERRAFORM.resolve("modules/alarms/main.tf"));
    for (String metric :
        List.of(
            "HTTPCode_Target_5XX_Count",
            "TargetResponseTime",
            "DatabaseConnections",
            "CPUUtilization",
            "Evictions")) {
      assertThat(alarms).as("an alarm on " + metric).contains("\"" + metric + "\"");
    }
    assertThat(alarms).contains("extended_statistic  = \"p99\"");
  }

  @Test
  void formattingMatchesTerraformFmt() {
    Path terraform = Tools.require("terraform", "terraform fmt -check");
    Repo.Run run =
        Repo.run(Repo.TERRAFORM, terraform.toString(), "fmt", "-check", "-recursive", "-diff");
    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(Files.exists(Repo.TERRAFORM.resolve(".terraform"))).isFalse();
  }
}
