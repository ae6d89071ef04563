variable "cluster_name" {
  description = "Name of the EKS cluster."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,38}$", var.cluster_name))
    error_message = "cluster_name must be 3-39 lower-case letters, digits or dashes, starting with a letter."
  }
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the control plane and the managed node group (e.g. 1.33)."
  type        = string

  validation {
    condition     = can(regex("^1\\.(3[0-9])$", var.kubernetes_version))
    error_message = "kubernetes_version must be 1.30 or later (the manifests use the preStop sleep action)."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets of the nodes and pods, one per zone."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) == 3
    error_message = "The cluster spans exactly three zones."
  }
}

variable "public_access_cidrs" {
  description = "CIDRs allowed to reach the public Kubernetes API endpoint; empty keeps the endpoint private only."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for cidr in var.public_access_cidrs : can(cidrhost(cidr, 0)) && cidr != "0.0.0.0/0"])
    error_message = "public_access_cidrs must be valid CIDRs and must not open the API to the whole internet."
  }
}

variable "node_instance_types" {
  description = "Graviton (arm64) instance types of the node groups (several, so capacity is found in every zone)."
  type        = list(string)

  validation {
    condition     = length(var.node_instance_types) > 0
    error_message = "At least one node instance type is needed."
  }
}

variable "nodes_per_zone_min" {
  description = "Fewest nodes in each zone's node group; at least one, so the zone spread of the pods can be honoured."
  type        = number

  validation {
    condition     = var.nodes_per_zone_min >= 1
    error_message = "nodes_per_zone_min must be at least 1."
  }
}

variable "nodes_per_zone_max" {
  description = "Most nodes the cluster autoscaler may run in each zone (the build checks that max replicas plus surge fit)."
  type        = number

  validation {
    condition     = var.nodes_per_zone_max >= 1 && var.nodes_per_zone_max <= 60
    error_message = "nodes_per_zone_max must be between 1 and 60."
  }
}

variable "app_namespace" {
  description = "Kubernetes namespace of the Campus service account (for its IAM role)."
  type        = string
}

variable "app_service_account" {
  description = "Kubernetes service account of the Campus pods (for its IAM role)."
  type        = string
  default     = "campus"
}

variable "app_secret_arns" {
  description = "Secrets Manager ARNs the Campus service account may read (database and Redis credentials)."
  type        = list(string)

  validation {
    condition     = alltrue([for arn in var.app_secret_arns : can(regex("^arn:aws[a-z-]*:secretsmanager:", arn))])
    error_message = "app_secret_arns must be Secrets Manager ARNs."
  }
}

variable "app_kms_key_arns" {
  description = "KMS keys that encrypt those secrets; the role may decrypt with them through Secrets Manager only."
  type        = list(string)

  validation {
    condition     = alltrue([for arn in var.app_kms_key_arns : can(regex("^arn:aws[a-z-]*:kms:", arn))])
    error_message = "app_kms_key_arns must be KMS key ARNs."
  }
}

variable "log_retention_days" {
  description = "Days to keep the control plane logs."
  type        = number
  default     = 90
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
