output "load_balancer_controller_role_arn" {
  description = "IAM role of the AWS Load Balancer Controller."
  value       = module.load_balancer_controller_irsa.iam_role_arn
}

output "cluster_autoscaler_role_arn" {
  description = "IAM role of the cluster autoscaler."
  value       = module.cluster_autoscaler_irsa.iam_role_arn
}
