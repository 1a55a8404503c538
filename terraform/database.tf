# Cloud SQL for PostgreSQL: private IP only, IAM database authentication, one IAM user
# per function (and the deployer, who migrates), backups with point-in-time recovery.

locals {
  database_name = "bytereview"

  # Connection budget: every instance of every function may hold DB_POOL_MAX (its
  # concurrency) connections at once; all of them together stay under max_connections
  # less a reserve for migrations, the grant step and an operator.
  connection_budget = sum([for fn in local.functions : fn.max_instances * fn.concurrency])
  connection_limit  = var.database.max_connections - var.database.connection_reserve
}

resource "google_sql_database_instance" "main" {
  name                = "${local.prefix}db"
  region              = var.region
  database_version    = var.database.version
  deletion_protection = var.database.deletion_protection

  settings {
    tier                        = var.database.tier
    availability_type           = var.database.availability_type
    disk_size                   = var.database.disk_size_gb
    disk_autoresize             = true
    deletion_protection_enabled = var.database.deletion_protection
    user_labels                 = { app = "bytereview" }

    ip_configuration {
      ipv4_enabled    = false
      private_network = google_compute_network.vpc.id
      ssl_mode        = "ENCRYPTED_ONLY"
    }

    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
      start_time                     = "02:00"
      transaction_log_retention_days = 7

      backup_retention_settings {
        retained_backups = var.database.backup_retention_days
        retention_unit   = "COUNT"
      }
    }

    database_flags {
      name  = "cloudsql.iam_authentication"
      value = "on"
    }

    database_flags {
      name  = "max_connections"
      value = tostring(var.database.max_connections)
    }

    insights_config {
      query_insights_enabled = true
    }
  }

  lifecycle {
    precondition {
      condition     = local.connection_budget <= local.connection_limit
      error_message = "Connection budget exceeded: the functions may open ${local.connection_budget} connections (max instances x concurrency, summed) but max_connections ${var.database.max_connections} less the reserve ${var.database.connection_reserve} is ${local.connection_limit}. Lower max instances or concurrency, or raise database.max_connections."
    }
  }

  depends_on = [google_service_networking_connection.private_services]
}

resource "google_sql_database" "app" {
  name     = local.database_name
  instance = google_sql_database_instance.main.name
}

# IAM database users: the service account email without .gserviceaccount.com
# (CLOUD_SQL_IAM_USER). They may log in; what they may touch is the app role's.
resource "google_sql_user" "function" {
  for_each = local.functions

  name     = trimsuffix(google_service_account.function[each.key].email, ".gserviceaccount.com")
  instance = google_sql_database_instance.main.name
  type     = "CLOUD_IAM_SERVICE_ACCOUNT"
}

resource "google_sql_user" "deployer" {
  name     = trimsuffix(var.deployer_service_account, ".gserviceaccount.com")
  instance = google_sql_database_instance.main.name
  type     = "CLOUD_IAM_SERVICE_ACCOUNT"
}

check "connection_budget" {
  assert {
    condition     = local.connection_budget <= local.connection_limit
    error_message = "The functions' connection budget (${local.connection_budget}) exceeds max_connections less the reserve (${local.connection_limit})."
  }
}
