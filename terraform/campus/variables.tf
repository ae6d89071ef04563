variable "environment" {
  description = "Environment name; part of every resource name."
  type        = string

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be dev or prod."
  }
}

variable "region" {
  description = "AWS region."
  type        = string
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "availability_zones" {
  description = "The three zones of the region the service runs in."
  type        = list(string)
  default     = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]

  validation {
    condition     = length(var.availability_zones) == 3
    error_message = "Exactly three availability zones are needed."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR of the VPC."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0))
    error_message = "vpc_cidr must be a valid IPv4 CIDR."
  }
}

variable "kubernetes_version" {
  description = "Kubernetes version of the EKS cluster."
  type        = string
  default     = "1.33"

  validation {
    condition     = can(regex("^1\\.[0-9]+$", var.kubernetes_version))
    error_message = "kubernetes_version must look like 1.33."
  }
}

variable "api_public_access_cidrs" {
  description = "CIDRs allowed to reach the Kubernetes API from outside the VPC (e.g. the CI runners); empty keeps it private."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for cidr in var.api_public_access_cidrs : can(cidrhost(cidr, 0))])
    error_message = "api_public_access_cidrs must be valid CIDRs."
  }
}

variable "node_instance_types" {
  description = "Instance types of the EKS nodes."
  type        = list(string)

  validation {
    condition     = length(var.node_instance_types) > 0
    error_message = "At least one instance type is needed."
  }
}

variable "nodes_per_zone_min" {
  description = "Fewest EKS nodes in each of the three zones."
  type        = number
  default     = 1

  validation {
    condition     = var.nodes_per_zone_min >= 1
    error_message = "nodes_per_zone_min must be at least 1 (the pods spread over the three zones)."
  }
}

variable "nodes_per_zone_max" {
  description = "Most EKS nodes in each zone; must hold the HPA maximum plus the rollout surge (checked by the build)."
  type        = number

  validation {
    condition     = var.nodes_per_zone_max >= var.nodes_per_zone_min
    error_message = "nodes_per_zone_max must not be below nodes_per_zone_min."
  }
}

variable "app_namespace" {
  description = "Kubernetes namespace Campus runs in (the Kustomize overlay's namespace)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.app_namespace))
    error_message = "app_namespace must be a valid Kubernetes namespace name."
  }
}

variable "db_engine_version" {
  description = "PostgreSQL version of RDS."
  type        = string
  default     = "16.4"

  validation {
    condition     = can(regex("^1[6-9]\\.[0-9]+$", var.db_engine_version))
    error_message = "db_engine_version must be PostgreSQL 16 or later."
  }
}

variable "db_instance_class" {
  description = "RDS instance class of the Multi-AZ primary."
  type        = string

  validation {
    condition     = can(regex("^db\\.", var.db_instance_class))
    error_message = "db_instance_class must be an RDS instance class."
  }
}

variable "db_max_connections" {
  description = "PostgreSQL max_connections. Must be at least HPA maxReplicas x connections per pod + a reserve for administration, replication and migrations (checked by the build)."
  type        = number

  validation {
    condition     = var.db_max_connections >= 100 && var.db_max_connections <= 5000
    error_message = "db_max_connections must be between 100 and 5000."
  }
}

variable "cache_node_type" {
  description = "ElastiCache node type."
  type        = string

  validation {
    condition     = can(regex("^cache\\.", var.cache_node_type))
    error_message = "cache_node_type must be an ElastiCache node type."
  }
}

variable "certificate_arn" {
  description = "ACM certificate ARN of the public host name."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN."
  }
}

variable "alarm_email" {
  description = "Address that receives the CloudWatch alarms (empty: subscribe the on-call tool to the topic)."
  type        = string
  default     = ""

  validation {
    condition     = var.alarm_email == "" || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be empty or an e-mail address."
  }
}

variable "runbook_base_url" {
  description = "Web address of this repository's files (e.g. https://github.com/ORG/campus/blob/main): the alerts' runbook links."
  type        = string

  validation {
    condition     = can(regex("^https://", var.runbook_base_url))
    error_message = "runbook_base_url must be an https address."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all zones (cheaper; outbound traffic of the private subnets depends on one zone)."
  type        = bool
}

variable "deletion_protection" {
  description = "Protect the database and the load balancer from deletion."
  type        = bool
}

variable "mail_from" {
  description = "Sender of the account mails, e.g. 'Campus <no-reply@example.org>' (an address or domain the SMTP provider has verified)."
  type        = string

  validation {
    condition     = can(regex("^([^<>\\n]+ <[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+>|[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+)$", var.mail_from))
    error_message = "mail_from must be an e-mail address, optionally as 'Name <address>'."
  }
}

variable "mail_smtp_host" {
  description = "SMTP server of the account mails (STARTTLS on port 587, the only SMTP port the pods' NetworkPolicy lets out); empty: Amazon SES of the region (email-smtp.<region>.amazonaws.com)."
  type        = string
  default     = ""

  validation {
    condition     = var.mail_smtp_host == "" || can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$", var.mail_smtp_host))
    error_message = "mail_smtp_host must be empty or a DNS host name."
  }
}
