# The module as another configuration would use it: everything from variables, nothing else.
module "bytereview" {
  source = "../.."

  project_id               = var.project_id
  region                   = var.region
  frontend_url             = var.frontend_url
  frontend_origins         = var.frontend_origins
  oauth_client_id          = var.oauth_client_id
  deployer_service_account = var.deployer_service_account
  gmail_enabled            = var.gmail_enabled
  vertex                   = var.vertex
  database                 = var.database
  alerts                   = var.alerts
}

variable "project_id" {
  type = string
}

variable "region" {
  type    = string
  default = "europe-west1"
}

variable "frontend_url" {
  type = string
}

variable "frontend_origins" {
  type = list(string)
}

variable "oauth_client_id" {
  type = string
}

variable "deployer_service_account" {
  type = string
}

variable "gmail_enabled" {
  type    = bool
  default = false
}

variable "vertex" {
  type    = any
  default = {}
}

variable "database" {
  type    = any
  default = {}
}

variable "alerts" {
  type    = any
  default = {}
}

output "api_url" {
  value = module.bytereview.api_url
}

output "oauth_redirect_uri" {
  value = module.bytereview.oauth_redirect_uri
}
