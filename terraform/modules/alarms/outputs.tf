output "critical_topic_arn" {
  description = "SNS topic of the alarms that page (subscribe the on-call tool)."
  value       = aws_sns_topic.alarms["critical"].arn
}

output "warning_topic_arn" {
  description = "SNS topic of the alarms that open a ticket."
  value       = aws_sns_topic.alarms["warning"].arn
}
