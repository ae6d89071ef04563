variable "name" {
  description = "Identifier prefix of the Redis resources (e.g. campus-prod)."
  type        = string

  validation {
    condition     = length(var.name) <= 32
    error_message = "name must be at most 32 characters (ElastiCache replication group id limit is 40 with suffixes)."
  }
}

variable "vpc_id" {
  description = "VPC of the cache."
  type        = string
}

variable "subnet_ids" {
  description = "Isolated data subnets, one per zone."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) == 3
    error_message = "The cache subnet group spans exactly three zones."
  }
}

variable "client_security_group_ids" {
  description = "Security groups allowed to connect on 6379 (the EKS nodes and pods); nothing else is."
  type        = list(string)
}

variable "node_type" {
  description = "ElastiCache node type (e.g. cache.r7g.large)."
  type        = string

  validation {
    condition     = can(regex("^cache\\.", var.node_type))
    error_message = "node_type must be an ElastiCache node type such as cache.r7g.large."
  }
}

variable "node_count" {
  description = "Nodes in the replication group (one primary, the rest replicas), one per zone."
  type        = number
  default     = 3

  validation {
    condition     = var.node_count >= 3 && var.node_count <= 6
    error_message = "node_count must be 3 to 6, so a replica is left after losing a zone."
  }
}

variable "engine_version" {
  description = "Redis OSS engine version."
  type        = string
  default     = "7.1"
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
