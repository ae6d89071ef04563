variable "name" {
  description = "Name prefix of the alarms (e.g. campus-prod)."
  type        = string
}

variable "alarm_email" {
  description = "Address subscribed to the alarm topic (empty: subscribe the on-call tool to the topic yourself)."
  type        = string
  default     = ""

  validation {
    condition     = var.alarm_email == "" || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be empty or an e-mail address."
  }
}

variable "load_balancer_arn_suffix" {
  description = "ARN suffix of the public load balancer."
  type        = string
}

variable "target_group_arn_suffix" {
  description = "ARN suffix of the Campus pods' target group."
  type        = string
}

variable "error_rate_percent" {
  description = "Alarm when 5xx responses exceed this percentage of requests for 5 minutes."
  type        = number
  default     = 1

  validation {
    condition     = var.error_rate_percent > 0 && var.error_rate_percent < 100
    error_message = "error_rate_percent must be between 0 and 100."
  }
}

variable "p99_latency_seconds" {
  description = "Alarm when the p99 target response time exceeds this many seconds for 10 minutes."
  type        = number
  default     = 0.5

  validation {
    condition     = var.p99_latency_seconds > 0
    error_message = "p99_latency_seconds must be positive."
  }
}

variable "db_instance_id" {
  description = "RDS identifier of the Multi-AZ primary."
  type        = string
}

variable "db_free_storage_gb" {
  description = "Page when the database has less free storage than this (GiB)."
  type        = number
  default     = 20
}

variable "min_healthy_hosts" {
  description = "Ticket when fewer pods than this pass the load balancer's health check."
  type        = number
  default     = 2
}

variable "redis_memory_percent" {
  description = "Page when a Redis node uses more than this percentage of its memory."
  type        = number
  default     = 90
}

variable "redis_replication_lag_seconds" {
  description = "Ticket when a Redis replica is further behind than this many seconds."
  type        = number
  default     = 5
}

variable "db_max_connections" {
  description = "max_connections of the database; the alarm fires at db_connections_alarm_percent of it."
  type        = number
}

variable "db_connections_alarm_percent" {
  description = "Percentage of max_connections in use that raises the connections alarm."
  type        = number
  default     = 80

  validation {
    condition     = var.db_connections_alarm_percent > 0 && var.db_connections_alarm_percent <= 100
    error_message = "db_connections_alarm_percent must be between 1 and 100."
  }
}

variable "cpu_alarm_percent" {
  description = "CPU utilisation (database, cache, nodes) that raises the CPU alarms."
  type        = number
  default     = 80
}

variable "cluster_name" {
  description = "EKS cluster whose node CPU (Container Insights) is watched."
  type        = string
}

variable "redis_member_clusters" {
  description = "ElastiCache node ids to watch for evictions and engine CPU (known at plan time)."
  type        = list(string)

  validation {
    condition     = length(var.redis_member_clusters) >= 3
    error_message = "Expected the three (or more) nodes of the replication group."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
