# Internet-facing ALB straight to the Campus pods. Terraform owns the load balancer (deletion
# protection, alarms by ARN suffix); the AWS Load Balancer Controller (modules/cluster-addons) keeps
# its target group filled with the pod IPs through the overlay's TargetGroupBinding on the campus
# Service, and health-checks each pod's readiness endpoint on the management port.
resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "Public HTTPS to the load balancer; the load balancer to the Campus pods only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-alb" })
}

resource "aws_vpc_security_group_ingress_rule" "https" {
  for_each          = toset(var.allowed_cidrs)
  security_group_id = aws_security_group.alb.id
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  description       = "HTTPS from clients"
}

resource "aws_vpc_security_group_ingress_rule" "http" {
  for_each          = toset(var.allowed_cidrs)
  security_group_id = aws_security_group.alb.id
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  description       = "HTTP from clients (redirected to HTTPS)"
}

resource "aws_vpc_security_group_egress_rule" "to_pods" {
  for_each = toset([tostring(var.target_port), tostring(var.health_check_port)])

  security_group_id            = aws_security_group.alb.id
  referenced_security_group_id = var.target_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = tonumber(each.value)
  to_port                      = tonumber(each.value)
  description                  = "To the Campus pods (API and health check)"
}

resource "aws_vpc_security_group_ingress_rule" "pods_from_alb" {
  for_each = toset([tostring(var.target_port), tostring(var.health_check_port)])

  security_group_id            = var.target_security_group_id
  referenced_security_group_id = aws_security_group.alb.id
  ip_protocol                  = "tcp"
  from_port                    = tonumber(each.value)
  to_port                      = tonumber(each.value)
  description                  = "From the public load balancer"
}

resource "aws_lb" "this" {
  name                       = var.name
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = var.public_subnet_ids
  security_groups            = [aws_security_group.alb.id]
  drop_invalid_header_fields = true
  enable_deletion_protection = var.deletion_protection
  idle_timeout               = 60
  tags                       = var.tags
}

# IP targets: the pods themselves, registered and deregistered by the controller as they become
# ready or terminate. The deregistration delay stays below the pods' preStop pause (10 s) plus
# Quarkus' drain, so no request is sent to a pod that stopped accepting.
resource "aws_lb_target_group" "campus" {
  name                 = "${var.name}-pods"
  vpc_id               = var.vpc_id
  target_type          = "ip"
  protocol             = "HTTP"
  port                 = var.target_port
  deregistration_delay = 15

  health_check {
    path                = "/q/health/ready"
    port                = tostring(var.health_check_port)
    matcher             = "200"
    interval            = 10
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 2
  }

  tags = var.tags
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.campus.arn
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}
