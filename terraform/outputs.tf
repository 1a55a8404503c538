output "api_url" {
  description = "The api function's URL: the frontend's API base."
  value       = google_cloudfunctions2_function.fn["api"].url
}

output "oauth_redirect_uri" {
  description = "Register this as an authorized redirect URI on the OAuth client (README, Deploy to Google Cloud)."
  value       = local.function_url["oauth-callback"]
}

output "function_urls" {
  description = "Every function's URL, by function."
  value       = local.function_url
}

output "uploads_bucket" {
  description = "Bucket of uploaded documents."
  value       = google_storage_bucket.uploads.name
}

output "exports_bucket" {
  description = "Bucket of produced exports."
  value       = google_storage_bucket.exports.name
}

output "database_instance" {
  description = "Cloud SQL instance connection name (CLOUD_SQL_INSTANCE), for npm run migrate and npm run db:grant."
  value       = google_sql_database_instance.main.connection_name
}

output "database_name" {
  description = "The application database (CLOUD_SQL_DATABASE)."
  value       = google_sql_database.app.name
}

output "database_users" {
  description = "Each function's IAM database user; npm run db:grant grants them the application role."
  value       = { for name, user in google_sql_user.function : name => user.name }
}

output "migrator_database_user" {
  description = "The deployer's IAM database user, which runs the migrations (CLOUD_SQL_IAM_USER for npm run migrate)."
  value       = google_sql_user.deployer.name
}

output "secrets" {
  description = "Secret Manager secrets whose first version the operator adds (README)."
  value       = { for key, secret in google_secret_manager_secret.secret : key => secret.secret_id }
}

output "connection_budget" {
  description = "Connections the functions may open at most, and the limit it must stay under."
  value       = { budget = local.connection_budget, limit = local.connection_limit }
}

output "gmail_watch_topic" {
  description = "Topic Gmail's watch publishes to (GMAIL_WATCH_TOPIC)."
  value       = google_pubsub_topic.topic["gmail.notification"].id
}

output "build_worker_pool" {
  description = "Cloud Build private pool that can reach the database (cloudbuild.yaml _POOL)."
  value       = google_cloudbuild_worker_pool.deploy.id
}
