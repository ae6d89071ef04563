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

variable "vpc_id" {
  description = "VPC of the cluster."
  type        = string
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
  description = "Instance types of the managed node group (several, so capacity is found in every zone)."
  type        = list(string)

  validation {
    condition     = length(var.node_instance_types) > 0
    error_message = "At least one node instance type is needed."
  }
}

variable "node_min_size" {
  description = "Fewest nodes; at least one per zone so the zone spread of the pods can be honoured."
  type        = number

  validation {
    condition     = var.node_min_size >= 3
    error_message = "node_min_size must be at least 3 (one node per zone)."
  }
}

variable "node_max_size" {
  description = "Most nodes the cluster autoscaler may add."
  type        = number

  validation {
    condition     = var.node_max_size >= 3 && var.node_max_size <= 200
    error_message = "node_max_size must be between 3 and 200."
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
