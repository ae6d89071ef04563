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

output "cluster_certificate_authority_data" {
  description = "Base64 CA certificate of the Kubernetes API (for the Helm provider)."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "oidc_provider_arn" {
  description = "IAM OIDC provider of the cluster (IRSA roles of the add-ons)."
  value       = aws_iam_openid_connect_provider.this.arn
}

output "app_role_arn" {
  description = "IAM role of the Campus pods (reads the Campus secrets only)."
  value       = aws_iam_role.app.arn
}
