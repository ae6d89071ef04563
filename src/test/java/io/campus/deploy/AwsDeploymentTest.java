package io.campus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The path from an empty AWS account to traffic on autoscaled pods, as Terraform declares it: what
 * AWS supports, what the cluster needs installed, and that the pieces name each other correctly.
 */
class AwsDeploymentTest {

  private static final Terraform ROOT = new Terraform(Terraform.ROOT);
  private static final Terraform EKS = Terraform.module("eks");
  private static final Terraform DATABASE = Terraform.module("database");

  @Test
  void noReadReplicaOfAPrimaryWhoseMasterPasswordRdsManages() {
    // RDS cannot create a read replica of a source whose master password it keeps in Secrets
    // Manager; and the application never uses the master user at all.
    Map<String, Map<String, Object>> instances = DATABASE.resources("aws_db_instance");
    assertThat(instances.get("primary")).containsEntry("manage_master_user_password", true);
    instances.forEach(
        (name, instance) -> {
          Object source = instance.get("replicate_source_db");
          if (source != null) {
            String sourceName =
                String.valueOf(source).replaceAll("^aws_db_instance\\.(\\w+).*", "$1");
            assertThat(instances.get(sourceName))
                .as("%s replicates %s, whose master password RDS manages", name, sourceName)
                .doesNotContainEntry("manage_master_user_password", true);
          }
        });
    String appSecrets = String.valueOf(ROOT.all("module").get("eks").get("app_secret_arns"));
    assertThat(appSecrets).doesNotContain("master_secret_arn").contains("app_secret_arn");
    assertThat(DATABASE.block("resource \"aws_secretsmanager_secret\" \"app\""))
        .contains("kms_key_id");
    // The two logins the pods get are the application and migration roles the bootstrap creates
    // (terraform/modules/database/bootstrap-roles.sql, DatabaseRolesBootstrapTest), each with a
    // generated password of its own.
    assertThat(DATABASE.block("resource \"aws_secretsmanager_secret_version\" \"app\""))
        .contains("var.app_username", "random_password.role[\"app\"]");
    assertThat(DATABASE.block("resource \"aws_secretsmanager_secret_version\" \"migrator\""))
        .contains("var.migrator_username", "random_password.role[\"migrator\"]");
    assertThat(appSecrets).contains("migrator_secret_arn");
  }

  @Test
  void loadBalancerControllerRoutesTheAlbToThePodsByIp() {
    Terraform addons = Terraform.module("cluster-addons");
    String controller = addons.block("resource \"helm_release\" \"aws_load_balancer_controller\"");
    assertThat(controller)
        .contains("chart      = \"aws-load-balancer-controller\"")
        .contains("https://aws.github.io/eks-charts")
        .contains("eks.amazonaws.com/role-arn");
    String irsa = addons.block("module \"load_balancer_controller_irsa\"");
    assertThat(irsa)
        .contains("terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks")
        .contains("attach_load_balancer_controller_policy = true")
        .contains("kube-system:aws-load-balancer-controller");

    Properties app = Repo.applicationProperties();
    String httpPort = app.getProperty("quarkus.http.port", "8080");
    String managementPort = app.getProperty("quarkus.management.port");
    Terraform edge = Terraform.module("edge");
    Map<String, Object> group = edge.resources("aws_lb_target_group").get("campus");
    assertThat(group).as("target group of the campus pods").isNotNull();
    assertThat(group).containsEntry("target_type", "ip");
    String groupText = edge.block("resource \"aws_lb_target_group\" \"campus\"");
    assertThat(groupText).contains("path                = \"/q/health/ready\"");
    assertThat(number(edge.all("variable").get("target_port").get("default"))).isEqualTo(httpPort);
    assertThat(number(edge.all("variable").get("health_check_port").get("default")))
        .isEqualTo(managementPort);
    assertThat(
            String.join(
                "\n", Terraform.tfFiles(edge.directory()).stream().map(Repo::read).toList()))
        .doesNotContain("ingress controller")
        .doesNotContain("10254");
  }

  @Test
  void metricsServerAndTheClusterAutoscalerAreInstalledWithOneNodeGroupPerZone() {
    Terraform addons = Terraform.module("cluster-addons");
    assertThat(addons.block("resource \"helm_release\" \"metrics_server\""))
        .contains("chart      = \"metrics-server\"");
    assertThat(addons.block("resource \"helm_release\" \"cluster_autoscaler\""))
        .contains("chart      = \"cluster-autoscaler\"")
        .contains("balance-similar-node-groups")
        .contains("autoDiscovery");
    assertThat(addons.block("module \"cluster_autoscaler_irsa\""))
        .contains("attach_cluster_autoscaler_policy = true");
    // One group per zone: the autoscaler can then add a node in the zone the spread needs.
    String groups = EKS.block("resource \"aws_eks_node_group\" \"zone\"");
    assertThat(groups).contains("for_each").contains("subnet_ids      = [each.value]");
    assertThat(EKS.has("resource \"aws_eks_node_group\" \"default\"")).isFalse();
    assertThat(ROOT.all("module")).containsKey("cluster_addons");
  }

  @Test
  void nodeAmiMatchesTheGravitonInstanceTypes() {
    String groups = EKS.block("resource \"aws_eks_node_group\" \"zone\"");
    assertThat(groups).contains("ami_type        = \"AL2023_ARM_64_STANDARD\"");
    for (String env : Repo.OVERLAYS) {
      @SuppressWarnings("unchecked")
      List<String> types =
          (List<String>) Terraform.parse(Terraform.tfvars(env)).get("node_instance_types");
      assertThat(types)
          .as(env + ": Graviton (arm64) types only")
          .allMatch(t -> t.matches("^[a-z]+[0-9]+g[a-z0-9]*\\..*"));
    }
    assertThat(groups)
        .as("a precondition rejects x86 types on the arm64 AMI")
        .contains("precondition");
  }

  @Test
  void theSecretsRoleDecryptsThroughSecretsManagerOnly() {
    String policy = EKS.block("data \"aws_iam_policy_document\" \"app\"");
    assertThat(policy).contains("\"kms:Decrypt\"").contains("kms:ViaService");
    assertThat(policy).contains("secretsmanager.${data.aws_region.current.name}.amazonaws.com");
    assertThat(String.valueOf(ROOT.all("module").get("eks").get("app_kms_key_arns")))
        .contains("module.cache.kms_key_arn")
        .contains("module.database.kms_key_arn");
  }

  @Test
  void terraformWritesTheOverlayValuesItOwns() {
    String file = ROOT.block("resource \"local_file\" \"overlay_values\"");
    assertThat(file).contains("k8s/overlays/${var.environment}/terraform-outputs.env");
    for (String env : Repo.OVERLAYS) {
      List<String> committed =
          Repo.read(Repo.K8S.resolve("overlays").resolve(env).resolve("terraform-outputs.env"))
              .lines()
              .filter(l -> !l.isBlank() && !l.startsWith("#"))
              .map(l -> l.substring(0, l.indexOf('=')))
              .toList();
      Matcher keys = Pattern.compile("(?m)^\\s*([A-Z][A-Z0-9_]+)\\s*=\\s*").matcher(file);
      List<String> written = new java.util.ArrayList<>();
      while (keys.find()) {
        written.add(keys.group(1));
      }
      assertThat(committed)
          .as(env + " overlay values = what terraform writes")
          .hasSameElementsAs(written);
    }
  }

  @Test
  void theSmtpLoginIsAnOperatorFilledKmsEncryptedSecretThePodsMayRead() {
    Terraform mail = Terraform.module("mail");
    String secret = mail.block("resource \"aws_secretsmanager_secret\" \"smtp\"");
    assertThat(secret).contains("kms_key_id  = aws_kms_key.this.arn").contains("/mail-");
    // Terraform writes an empty login once (External Secrets can sync, the pods start) and never
    // overwrites what the operator put in.
    String version = mail.block("resource \"aws_secretsmanager_secret_version\" \"smtp\"");
    assertThat(version)
        .contains("username = \"\"", "password = \"\"")
        .containsPattern("ignore_changes\\s*=\\s*\\[secret_string, version_stages]")
        // A label of its own: AWS never garbage-collects it, so Terraform never recreates it.
        .containsPattern("version_stages\\s*=\\s*\\[\"AWSCURRENT\", \"TERRAFORM_INITIAL\"]");
    Map<String, Object> eks = ROOT.all("module").get("eks");
    assertThat(String.valueOf(eks.get("app_secret_arns"))).contains("module.mail.smtp_secret_arn");
    assertThat(String.valueOf(eks.get("app_kms_key_arns"))).contains("module.mail.kms_key_arn");
    assertThat(ROOT.block("resource \"local_file\" \"overlay_values\""))
        .contains("MAIL_SECRET_ARN=${module.mail.smtp_secret_arn}");
    // Server and sender are settings, not secrets: terraform-settings.env, merged into
    // campus-config. Without a host of its own the region's Amazon SES endpoint is used.
    String settings = ROOT.block("resource \"local_file\" \"overlay_settings\"");
    assertThat(settings)
        .contains("QUARKUS_MAILER_HOST=${local.mail_smtp_host}")
        .contains("QUARKUS_MAILER_FROM=${var.mail_from}");
    assertThat(ROOT.block("locals"))
        .contains("email-smtp.${var.region}.amazonaws.com")
        .contains("var.mail_smtp_host");
    for (String env : Repo.OVERLAYS) {
      List<String> committed =
          Repo.read(Repo.K8S.resolve("overlays").resolve(env).resolve("terraform-settings.env"))
              .lines()
              .filter(l -> !l.isBlank() && !l.startsWith("#"))
              .map(l -> l.substring(0, l.indexOf('=')))
              .toList();
      Matcher keys = Pattern.compile("(?m)^\\s*([A-Z][A-Z0-9_]+)\\s*=").matcher(settings);
      List<String> written = new java.util.ArrayList<>();
      while (keys.find()) {
        written.add(keys.group(1));
      }
      assertThat(committed)
          .as(env + " overlay settings = what terraform writes")
          .hasSameElementsAs(written);
    }
  }

  @Test
  void vpcCniEnforcesNetworkPolicies() {
    String cni = EKS.block("resource \"aws_eks_addon\" \"vpc_cni\"");
    assertThat(cni).contains("enableNetworkPolicy = \"true\"");
  }

  @Test
  void cloudWatchCoversStorageReplicationHostsAndRedisMemoryWithoutDoublePaging() {
    String alarms = Repo.read(Repo.TERRAFORM.resolve("modules/alarms/main.tf"));
    for (String metric :
        List.of(
            "FreeStorageSpace",
            "ReplicationLag",
            "HealthyHostCount",
            "DatabaseMemoryUsagePercentage")) {
      assertThat(alarms).as("an alarm on " + metric).contains("\"" + metric + "\"");
    }
    // Prometheus pages on the service's errors, latency and targets; CloudWatch only opens tickets
    // for those symptoms, and pages for what Prometheus cannot see (storage, Redis memory).
    Terraform module = Terraform.module("alarms");
    for (String warning : List.of("http_5xx_rate", "p99_latency", "healthy_hosts")) {
      assertThat(module.block("resource \"aws_cloudwatch_metric_alarm\" \"" + warning + "\""))
          .as(warning)
          .contains("local.warning");
    }
    for (String critical : List.of("db_storage", "redis_memory")) {
      assertThat(module.block("resource \"aws_cloudwatch_metric_alarm\" \"" + critical + "\""))
          .as(critical)
          .contains("local.critical");
    }
  }

  private static String number(Object value) {
    return value instanceof Number n ? Integer.toString(n.intValue()) : String.valueOf(value);
  }
}
