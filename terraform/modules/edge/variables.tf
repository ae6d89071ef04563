variable "name" {
  description = "Name prefix of the load balancer resources (e.g. campus-prod)."
  type        = string

  validation {
    condition     = length(var.name) <= 24
    error_message = "name must be at most 24 characters (load balancer names are limited to 32)."
  }
}

variable "vpc_id" {
  description = "VPC of the load balancer."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets, one per zone."
  type        = list(string)

  validation {
    condition     = length(var.public_subnet_ids) == 3
    error_message = "The load balancer spans exactly three zones."
  }
}

variable "certificate_arn" {
  description = "ACM certificate of the public host name."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN."
  }
}

variable "allowed_cidrs" {
  description = "Client CIDRs allowed to reach the load balancer."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = alltrue([for cidr in var.allowed_cidrs : can(cidrhost(cidr, 0))])
    error_message = "allowed_cidrs must be valid CIDRs."
  }
}

variable "target_security_group_id" {
  description = "Security group of the Campus pods (the EKS cluster security group the nodes and pods use)."
  type        = string
}

variable "target_port" {
  description = "HTTP port of the Campus pods the load balancer forwards to (quarkus.http.port)."
  type        = number
  default     = 8080
}

variable "health_check_port" {
  description = "Management port of the Campus pods, where /q/health/ready answers (quarkus.management.port)."
  type        = number
  default     = 9000
}

variable "deletion_protection" {
  description = "Refuse to delete the load balancer (true in production)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
