output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = aws_eks_cluster.this.name
}

output "cluster_endpoint" {
  description = "Kubernetes API endpoint."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_security_group_id" {
  description = "Security group EKS attaches to the nodes and pods; databases admit traffic from it."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}

output "node_autoscaling_group_names" {
  description = "Auto Scaling groups behind the managed node group (for the cluster autoscaler)."
  value       = [for group in aws_eks_node_group.default.resources[0].autoscaling_groups : group.name]
}

output "app_role_arn" {
  description = "IAM role of the Campus pods (reads the Campus secrets only)."
  value       = aws_iam_role.app.arn
}
