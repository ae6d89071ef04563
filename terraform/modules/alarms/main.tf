# Two topics, as the Prometheus alerts have two severities: "critical" pages the on-call person,
# "warning" opens a ticket. A symptom pages from one place only: Prometheus pages on the service's
# own errors, latency and missing targets, so the CloudWatch alarms on those same symptoms (ALB 5xx,
# p99, healthy hosts) only open tickets, and CloudWatch pages for what Prometheus cannot see
# (database storage, Redis memory).
resource "aws_sns_topic" "alarms" {
  for_each          = toset(["critical", "warning"])
  name              = "${var.name}-${each.key}"
  kms_master_key_id = "alias/aws/sns"
  tags              = var.tags
}

resource "aws_sns_topic_subscription" "email" {
  for_each  = var.alarm_email == "" ? toset([]) : toset(["critical", "warning"])
  topic_arn = aws_sns_topic.alarms[each.key].arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

locals {
  critical = [aws_sns_topic.alarms["critical"].arn]
  warning  = [aws_sns_topic.alarms["warning"].arn]
  alb      = { LoadBalancer = var.load_balancer_arn_suffix }
}

# 5xx rate: (target 5xx + load balancer 5xx) / requests, as a percentage.
resource "aws_cloudwatch_metric_alarm" "http_5xx_rate" {
  alarm_name          = "${var.name}-http-5xx-rate"
  alarm_description   = "More than ${var.error_rate_percent}% of requests failed with 5xx for 5 minutes. Runbook: check the Campus overview dashboard (errors by route), readiness of the pods and the database/Redis alarms."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.error_rate_percent
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.warning
  ok_actions          = local.warning

  metric_query {
    id          = "rate"
    expression  = "IF(requests > 0, 100 * (target5xx + elb5xx) / requests, 0)"
    label       = "5xx percentage"
    return_data = true
  }
  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      dimensions  = local.alb
      period      = 60
      stat        = "Sum"
    }
  }
  metric_query {
    id = "target5xx"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      dimensions  = local.alb
      period      = 60
      stat        = "Sum"
    }
  }
  metric_query {
    id = "elb5xx"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_ELB_5XX_Count"
      dimensions  = local.alb
      period      = 60
      stat        = "Sum"
    }
  }
  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "p99_latency" {
  alarm_name          = "${var.name}-p99-latency"
  alarm_description   = "p99 response time above ${var.p99_latency_seconds}s for 10 minutes. Runbook: database dashboard (pool wait, slow statements), cache hit rate, HPA at its maximum?"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "TargetResponseTime"
  dimensions          = { LoadBalancer = var.load_balancer_arn_suffix, TargetGroup = var.target_group_arn_suffix }
  extended_statistic  = "p99"
  period              = 60
  evaluation_periods  = 10
  datapoints_to_alarm = 8
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.p99_latency_seconds
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.warning
  ok_actions          = local.warning
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "db_connections" {
  alarm_name          = "${var.name}-db-connections"
  alarm_description   = "${var.db_instance_id} uses more than ${var.db_connections_alarm_percent}% of max_connections (${var.db_max_connections}). Runbook: compare with HPA replicas x pool size; look for leaked or idle-in-transaction sessions in pg_stat_activity."
  namespace           = "AWS/RDS"
  metric_name         = "DatabaseConnections"
  dimensions          = { DBInstanceIdentifier = var.db_instance_id }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = floor(var.db_max_connections * var.db_connections_alarm_percent / 100)
  alarm_actions       = local.warning
  ok_actions          = local.warning
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "db_cpu" {
  alarm_name          = "${var.name}-db-cpu"
  alarm_description   = "${var.db_instance_id} CPU above ${var.cpu_alarm_percent}% for 15 minutes. Runbook: top statements in pg_stat_statements / Performance Insights; slow statement log."
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  dimensions          = { DBInstanceIdentifier = var.db_instance_id }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.cpu_alarm_percent
  alarm_actions       = local.warning
  ok_actions          = local.warning
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "node_cpu" {
  alarm_name          = "${var.name}-node-cpu"
  alarm_description   = "EKS nodes above ${var.cpu_alarm_percent}% CPU for 15 minutes: pods are not spreading or the autoscaler cannot add nodes. Runbook: kubectl top nodes; cluster autoscaler events; HPA status."
  namespace           = "ContainerInsights"
  metric_name         = "node_cpu_utilization"
  dimensions          = { ClusterName = var.cluster_name }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.cpu_alarm_percent
  alarm_actions       = local.warning
  ok_actions          = local.warning
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "redis_evictions" {
  for_each            = toset(var.redis_member_clusters)
  alarm_name          = "${var.name}-redis-evictions-${each.value}"
  alarm_description   = "Redis ${each.value} evicts keys: the cache no longer fits in memory, hit rates fall and the database takes the load. Runbook: cache dashboard (hit rate per cache); scale the node type or shorten TTLs."
  namespace           = "AWS/ElastiCache"
  metric_name         = "Evictions"
  dimensions          = { CacheClusterId = each.value }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.warning
  ok_actions          = local.warning
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "redis_cpu" {
  for_each            = toset(var.redis_member_clusters)
  alarm_name          = "${var.name}-redis-engine-cpu-${each.value}"
  alarm_description   = "Redis ${each.value} engine CPU above ${var.cpu_alarm_percent}% for 15 minutes. Runbook: slowlog; look for large values or a hot key."
  namespace           = "AWS/ElastiCache"
  metric_name         = "EngineCPUUtilization"
  dimensions          = { CacheClusterId = each.value }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.cpu_alarm_percent
  alarm_actions       = local.warning
  ok_actions          = local.warning
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "healthy_hosts" {
  alarm_name          = "${var.name}-healthy-hosts"
  alarm_description   = "Fewer than ${var.min_healthy_hosts} Campus pods pass the load balancer's readiness check for 5 minutes. Runbook: monitoring/runbooks.md#campusnoreadypod (Prometheus pages when no pod is ready: CampusNoReadyPod; this opens a ticket)."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HealthyHostCount"
  dimensions          = { LoadBalancer = var.load_balancer_arn_suffix, TargetGroup = var.target_group_arn_suffix }
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = 5
  comparison_operator = "LessThanThreshold"
  threshold           = var.min_healthy_hosts
  treat_missing_data  = "breaching"
  alarm_actions       = local.warning
  ok_actions          = local.warning
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "db_storage" {
  alarm_name          = "${var.name}-db-free-storage"
  alarm_description   = "${var.db_instance_id} has less than ${var.db_free_storage_gb} GiB free: storage autoscaling is at its ceiling or cannot keep up; a full disk stops every write. Runbook: raise max_allocated_storage_gb, look for table bloat or runaway logs (Campus / Database, sizes)."
  namespace           = "AWS/RDS"
  metric_name         = "FreeStorageSpace"
  dimensions          = { DBInstanceIdentifier = var.db_instance_id }
  statistic           = "Minimum"
  period              = 300
  evaluation_periods  = 2
  comparison_operator = "LessThanThreshold"
  threshold           = var.db_free_storage_gb * 1024 * 1024 * 1024
  alarm_actions       = local.critical
  ok_actions          = local.critical
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "redis_memory" {
  for_each            = toset(var.redis_member_clusters)
  alarm_name          = "${var.name}-redis-memory-${each.value}"
  alarm_description   = "Redis ${each.value} uses more than ${var.redis_memory_percent}% of its memory: evictions follow, and pub/sub invalidations can be cut off. Runbook: cache dashboard (which cache grows); scale the node type or shorten TTLs."
  namespace           = "AWS/ElastiCache"
  metric_name         = "DatabaseMemoryUsagePercentage"
  dimensions          = { CacheClusterId = each.value }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.redis_memory_percent
  alarm_actions       = local.critical
  ok_actions          = local.critical
  tags                = var.tags
}

# Replicas that fall behind serve stale cache entries after a failover (only replicas report it;
# the primary changes with failovers, so every node is watched).
resource "aws_cloudwatch_metric_alarm" "redis_replication_lag" {
  for_each            = toset(var.redis_member_clusters)
  alarm_name          = "${var.name}-redis-replication-lag-${each.value}"
  alarm_description   = "Redis replica ${each.value} is more than ${var.redis_replication_lag_seconds}s behind for 10 minutes. Runbook: network between zones, primary engine CPU, large values; a failover now would lose recent entries and invalidations."
  namespace           = "AWS/ElastiCache"
  metric_name         = "ReplicationLag"
  dimensions          = { CacheClusterId = each.value }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 10
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.redis_replication_lag_seconds
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.warning
  ok_actions          = local.warning
  tags                = var.tags
}
