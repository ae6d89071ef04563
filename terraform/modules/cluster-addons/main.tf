# What the cluster needs before Campus can serve and scale: the AWS Load Balancer Controller (fills
# the ALB's target group with pod IPs), metrics-server (CPU and memory for the HorizontalPodAutoscaler;
# EKS does not install it), the cluster autoscaler (adds nodes when pods are pending), the External
# Secrets operator (Secrets Manager -> Kubernetes Secrets), Reloader (restarts the pods when a synced
# secret changes) and the Prometheus operator stack (ServiceMonitor, PrometheusRule, Grafana that
# loads the dashboards from ConfigMaps). Chart versions are pinned; bump them deliberately.

# IRSA roles with the policies the projects publish (kept current by terraform-aws-modules).
module "load_balancer_controller_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "~> 5.55"

  role_name                              = "${var.cluster_name}-aws-load-balancer-controller"
  attach_load_balancer_controller_policy = true

  oidc_providers = {
    cluster = {
      provider_arn               = var.oidc_provider_arn
      namespace_service_accounts = ["kube-system:aws-load-balancer-controller"]
    }
  }
  tags = var.tags
}

module "cluster_autoscaler_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "~> 5.55"

  role_name                        = "${var.cluster_name}-cluster-autoscaler"
  attach_cluster_autoscaler_policy = true
  cluster_autoscaler_cluster_names = [var.cluster_name]

  oidc_providers = {
    cluster = {
      provider_arn               = var.oidc_provider_arn
      namespace_service_accounts = ["kube-system:cluster-autoscaler"]
    }
  }
  tags = var.tags
}

# Alertmanager publishes to the two alarm topics and nothing else.
resource "aws_iam_policy" "alertmanager_sns" {
  name        = "${var.cluster_name}-alertmanager-sns"
  description = "Alertmanager publishes Prometheus alerts to the critical and warning alarm topics."
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["sns:Publish"]
        Resource = [var.alert_topic_arns.critical, var.alert_topic_arns.warning]
      },
      {
        # the topics are encrypted with the AWS managed key of SNS
        Effect    = "Allow"
        Action    = ["kms:GenerateDataKey*", "kms:Decrypt"]
        Resource  = "*"
        Condition = { StringEquals = { "kms:ViaService" = "sns.${var.region}.amazonaws.com" } }
      },
    ]
  })
  tags = var.tags
}

module "alertmanager_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "~> 5.55"

  role_name        = "${var.cluster_name}-alertmanager"
  role_policy_arns = { sns = aws_iam_policy.alertmanager_sns.arn }

  oidc_providers = {
    cluster = {
      provider_arn               = var.oidc_provider_arn
      namespace_service_accounts = ["monitoring:alertmanager"]
    }
  }
  tags = var.tags
}

resource "helm_release" "aws_load_balancer_controller" {
  name       = "aws-load-balancer-controller"
  repository = "https://aws.github.io/eks-charts"
  chart      = "aws-load-balancer-controller"
  version    = var.chart_versions.aws_load_balancer_controller
  namespace  = "kube-system"

  values = [yamlencode({
    clusterName  = var.cluster_name
    region       = var.region
    vpcId        = var.vpc_id
    replicaCount = 2
    serviceAccount = {
      name        = "aws-load-balancer-controller"
      annotations = { "eks.amazonaws.com/role-arn" = module.load_balancer_controller_irsa.iam_role_arn }
    }
    # Campus binds a Terraform-made target group; no Service of type LoadBalancer is rewritten.
    enableServiceMutatorWebhook = false
  })]
}

resource "helm_release" "metrics_server" {
  name       = "metrics-server"
  repository = "https://kubernetes-sigs.github.io/metrics-server/"
  chart      = "metrics-server"
  version    = var.chart_versions.metrics_server
  namespace  = "kube-system"

  values = [yamlencode({
    replicas = 2
  })]
}

resource "helm_release" "cluster_autoscaler" {
  name       = "cluster-autoscaler"
  repository = "https://kubernetes.github.io/autoscaler"
  chart      = "cluster-autoscaler"
  version    = var.chart_versions.cluster_autoscaler
  namespace  = "kube-system"

  values = [yamlencode({
    # Finds the node groups' Auto Scaling groups by the tags EKS puts on them.
    autoDiscovery = { clusterName = var.cluster_name }
    awsRegion     = var.region
    # The autoscaler's minor version follows the cluster's.
    image = { tag = "v${var.kubernetes_version}.0" }
    rbac = {
      serviceAccount = {
        name        = "cluster-autoscaler"
        annotations = { "eks.amazonaws.com/role-arn" = module.cluster_autoscaler_irsa.iam_role_arn }
      }
    }
    extraArgs = {
      # One node group per zone: keep them the same size so the zone spread stays satisfiable.
      "balance-similar-node-groups" = true
      "skip-nodes-with-system-pods" = false
      expander                      = "least-waste"
    }
  })]

  depends_on = [helm_release.metrics_server]
}

resource "helm_release" "external_secrets" {
  name             = "external-secrets"
  repository       = "https://charts.external-secrets.io"
  chart            = "external-secrets"
  version          = var.chart_versions.external_secrets
  namespace        = "external-secrets"
  create_namespace = true

  values = [yamlencode({
    installCRDs = true
  })]
}

resource "helm_release" "reloader" {
  name       = "reloader"
  repository = "https://stakater.github.io/stakater-charts"
  chart      = "reloader"
  version    = var.chart_versions.reloader
  namespace  = "kube-system"
}

resource "helm_release" "monitoring" {
  name             = "monitoring"
  repository       = "https://prometheus-community.github.io/helm-charts"
  chart            = "kube-prometheus-stack"
  version          = var.chart_versions.kube_prometheus_stack
  namespace        = "monitoring"
  create_namespace = true

  values = [yamlencode({
    prometheus = {
      prometheusSpec = {
        # Pick up the Campus ServiceMonitor and PrometheusRule in any namespace.
        serviceMonitorSelectorNilUsesHelmValues = false
        ruleSelectorNilUsesHelmValues           = false
        # The alerts' runbook_url annotations start with this label.
        externalLabels = { runbook_base_url = var.runbook_base_url }
      }
    }
    # The chart's own Alertmanager configuration sends every alert to a receiver that drops it.
    # Critical alerts page (the critical topic), the rest open tickets (the warning topic); the
    # chart's always-firing Watchdog and InfoInhibitor go nowhere.
    alertmanager = {
      serviceAccount = {
        name        = "alertmanager"
        annotations = { "eks.amazonaws.com/role-arn" = module.alertmanager_irsa.iam_role_arn }
      }
      config = {
        route = {
          receiver        = "warning"
          group_by        = ["alertname", "namespace"]
          group_wait      = "30s"
          group_interval  = "5m"
          repeat_interval = "4h"
          routes = [
            { receiver = "null", matchers = ["alertname=~\"Watchdog|InfoInhibitor\""] },
            { receiver = "critical", matchers = ["severity=\"critical\""] },
          ]
        }
        receivers = [
          { name = "null" },
          {
            name = "critical"
            sns_configs = [{
              topic_arn = var.alert_topic_arns.critical
              sigv4     = { region = var.region }
              subject   = "[critical] {{ .CommonLabels.alertname }} {{ .CommonLabels.namespace }}"
            }]
          },
          {
            name = "warning"
            sns_configs = [{
              topic_arn = var.alert_topic_arns.warning
              sigv4     = { region = var.region }
              subject   = "[warning] {{ .CommonLabels.alertname }} {{ .CommonLabels.namespace }}"
            }]
          },
        ]
      }
    }
    grafana = {
      sidecar = {
        dashboards = {
          enabled         = true
          label           = "grafana_dashboard"
          labelValue      = "1"
          searchNamespace = "ALL"
        }
      }
    }
  })]
}
