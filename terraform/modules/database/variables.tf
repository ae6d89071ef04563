variable "name" {
  description = "Identifier prefix of the database resources (e.g. campus-prod)."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the database."
  type        = string
}

variable "subnet_ids" {
  description = "Isolated data subnets, one per zone (the Multi-AZ standby lands in another zone)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) == 3
    error_message = "The database subnet group spans exactly three zones."
  }
}

variable "client_security_group_ids" {
  description = "Security groups allowed to connect on 5432 (the EKS nodes and pods); nothing else is."
  type        = list(string)

  validation {
    condition     = length(var.client_security_group_ids) > 0
    error_message = "At least one client security group is needed."
  }
}

variable "engine_version" {
  description = "PostgreSQL major.minor version (e.g. 16.4)."
  type        = string

  validation {
    condition     = can(regex("^1[6-9]\\.[0-9]+$", var.engine_version))
    error_message = "engine_version must be PostgreSQL 16 or later (major.minor)."
  }
}

variable "instance_class" {
  description = "Instance class of the Multi-AZ primary."
  type        = string

  validation {
    condition     = can(regex("^db\\.", var.instance_class))
    error_message = "instance_class must be an RDS class such as db.r6g.xlarge."
  }
}

variable "allocated_storage_gb" {
  description = "Initial storage in GiB (gp3)."
  type        = number
  default     = 100

  validation {
    condition     = var.allocated_storage_gb >= 20
    error_message = "allocated_storage_gb must be at least 20."
  }
}

variable "max_allocated_storage_gb" {
  description = "Storage autoscaling ceiling in GiB."
  type        = number
  default     = 1000
}

variable "max_connections" {
  description = "PostgreSQL max_connections, set explicitly: it must cover every replica's pool at the HPA maximum plus a reserve for administration, replication and migrations."
  type        = number

  validation {
    condition     = var.max_connections >= 100 && var.max_connections <= 5000
    error_message = "max_connections must be between 100 and 5000."
  }
}

variable "database_name" {
  description = "Name of the application database."
  type        = string
  default     = "campus"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.database_name))
    error_message = "database_name must be a lower-case PostgreSQL identifier."
  }
}

variable "master_username" {
  description = "Master user name; its password is generated and rotated by RDS in Secrets Manager, never set here."
  type        = string
  default     = "campus_admin"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{2,15}$", var.master_username)) && var.master_username != "postgres"
    error_message = "master_username must be 3-16 lower-case characters and not 'postgres'."
  }
}

variable "app_username" {
  description = "PostgreSQL role the application's requests run under."
  type        = string
  default     = "campus_app"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{2,62}$", var.app_username))
    error_message = "app_username must be a lower-case PostgreSQL identifier."
  }
}

variable "migrator_username" {
  description = "PostgreSQL role Flyway runs the migrations under (owns the schema)."
  type        = string
  default     = "campus_migrator"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{2,62}$", var.migrator_username))
    error_message = "migrator_username must be a lower-case PostgreSQL identifier."
  }
}

variable "backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery window)."
  type        = number
  default     = 14

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 1 and 35."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the primary (true in production)."
  type        = bool
  default     = true
}

variable "slow_statement_ms" {
  description = "Statements slower than this many milliseconds are logged by PostgreSQL (log_min_duration_statement)."
  type        = number
  default     = 500
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
