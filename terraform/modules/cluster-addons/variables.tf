variable "cluster_name" {
  description = "EKS cluster the add-ons are installed in."
  type        = string
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the cluster (the cluster autoscaler's image follows it)."
  type        = string

  validation {
    condition     = can(regex("^1\\.[0-9]+$", var.kubernetes_version))
    error_message = "kubernetes_version must look like 1.33."
  }
}

variable "region" {
  description = "AWS region of the cluster."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the cluster (the load balancer controller needs it with IMDSv2 limited to one hop)."
  type        = string
}

variable "oidc_provider_arn" {
  description = "IAM OIDC provider of the cluster, for the add-ons' IRSA roles."
  type        = string
}

variable "runbook_base_url" {
  description = "Web address of this repository (e.g. https://github.com/ORG/campus/blob/main); alert runbook links start with it."
  type        = string

  validation {
    condition     = can(regex("^https://", var.runbook_base_url))
    error_message = "runbook_base_url must be an https address."
  }
}

variable "alert_topic_arns" {
  description = "SNS topics Alertmanager publishes to: critical alerts (pages) and the rest (tickets)."
  type = object({
    critical = string
    warning  = string
  })
}

variable "chart_versions" {
  description = "Helm chart versions of the add-ons."
  type = object({
    aws_load_balancer_controller = string
    metrics_server               = string
    cluster_autoscaler           = string
    external_secrets             = string
    reloader                     = string
    kube_prometheus_stack        = string
  })
  default = {
    aws_load_balancer_controller = "1.13.3"
    metrics_server               = "3.12.2"
    cluster_autoscaler           = "9.46.6"
    external_secrets             = "0.18.2"
    reloader                     = "2.1.3"
    kube_prometheus_stack        = "72.6.2"
  }
}

variable "tags" {
  description = "Tags added to every AWS resource."
  type        = map(string)
  default     = {}
}
