# One Cloud Function (2nd gen) per stage, keyed by its name (the entry point registered
# in functions/<stage>/index.ts), so renaming one does not rebuild the others. Sizes are
# set explicitly on each (the blueprints' min_instance_count of 1 costs money); var.functions
# overrides them. DB_POOL_MAX is the function's concurrency: one connection per in-flight
# request, never typed twice, and the connection budget in database.tf sums it.

locals {
  function_defaults = {
    api = {
      trigger = "http", topic = null, public = true,
      memory  = "512Mi", cpu = "1", concurrency = 20, min_instances = 0, max_instances = 5, timeout_seconds = 60,
    }
    oauth-callback = {
      trigger = "http", topic = null, public = true,
      memory  = "512Mi", cpu = "1", concurrency = 5, min_instances = 0, max_instances = 2, timeout_seconds = 60,
    }
    run-initializer = {
      trigger = "pubsub", topic = "run.requested", public = false,
      memory  = "512Mi", cpu = "1", concurrency = 5, min_instances = 0, max_instances = 3, timeout_seconds = 300,
    }
    # Its timeout is the Cloud Tasks dispatch deadline (600 s, the default the code keeps):
    # a slower answer is cut by both at once, never by one while the other still waits.
    extraction = {
      trigger = "http", topic = null, public = false,
      memory  = "512Mi", cpu = "1", concurrency = 8, min_instances = 0, max_instances = 8, timeout_seconds = 600,
    }
    drive-import = {
      trigger = "pubsub", topic = "drive.import.requested", public = false,
      memory  = "1Gi", cpu = "1", concurrency = 4, min_instances = 0, max_instances = 3, timeout_seconds = 540,
    }
    gmail-import = {
      trigger = "pubsub", topic = "gmail.import.requested", public = false,
      memory  = "1Gi", cpu = "1", concurrency = 4, min_instances = 0, max_instances = 3, timeout_seconds = 540,
    }
    # The 1,000,000-row XLSX peaks at 123-133 MB in a 256 MB cgroup (README, Benchmarks);
    # 1 GiB holds two at once with room for the Drive and Gmail uploads.
    export = {
      trigger = "pubsub", topic = "export.requested", public = false,
      memory  = "1Gi", cpu = "1", concurrency = 2, min_instances = 0, max_instances = 3, timeout_seconds = 540,
    }
    export-on-run-completed = {
      trigger = "pubsub", topic = "run.completed", public = false,
      memory  = "512Mi", cpu = "1", concurrency = 5, min_instances = 0, max_instances = 2, timeout_seconds = 120,
    }
    gmail-push = {
      trigger = "pubsub", topic = "gmail.notification", public = false,
      memory  = "512Mi", cpu = "1", concurrency = 5, min_instances = 0, max_instances = 2, timeout_seconds = 300,
    }
    cleanup = {
      trigger = "http", topic = null, public = false,
      memory  = "512Mi", cpu = "1", concurrency = 1, min_instances = 0, max_instances = 1, timeout_seconds = 540,
    }
    # One webhook attempt per task: at most 15 s waiting on the receiver (shared/webhooks),
    # so 60 s covers the database writes around it. Egress to public addresses goes direct
    # (PRIVATE_RANGES_ONLY); the code refuses private ones.
    webhook = {
      trigger = "http", topic = null, public = false,
      memory  = "256Mi", cpu = "1", concurrency = 10, min_instances = 0, max_instances = 2, timeout_seconds = 60,
    }
  }

  functions = {
    for name, fn in local.function_defaults : name => merge(fn, {
      min_instances   = coalesce(try(var.functions[name].min_instances, null), fn.min_instances)
      max_instances   = coalesce(try(var.functions[name].max_instances, null), fn.max_instances)
      concurrency     = coalesce(try(var.functions[name].concurrency, null), fn.concurrency)
      memory          = coalesce(try(var.functions[name].memory, null), fn.memory)
      cpu             = coalesce(try(var.functions[name].cpu, null), fn.cpu)
      timeout_seconds = coalesce(try(var.functions[name].timeout_seconds, null), fn.timeout_seconds)
    })
  }

  event_functions = { for name, fn in local.functions : name => fn if fn.trigger == "pubsub" }

  # Every function's production configuration (shared/production.ts productionSettingsOf);
  # test/terraform checks each setting the code requires is here.
  common_env = {
    APP_ENV                       = "production"
    GOOGLE_CLOUD_PROJECT          = var.project_id
    UPLOADS_BUCKET                = google_storage_bucket.uploads.name
    EXPORTS_BUCKET                = google_storage_bucket.exports.name
    VERTEX_LOCATION               = var.vertex.location
    GEMINI_MODEL                  = var.vertex.model
    EXTRACTION_WINDOW_PAGES       = tostring(var.extraction_window_pages)
    FIREBASE_PROJECT_ID           = coalesce(var.firebase_project_id, var.project_id)
    GOOGLE_OAUTH_CLIENT_ID        = var.oauth_client_id
    OAUTH_REDIRECT_URI            = local.function_url["oauth-callback"]
    FRONTEND_URL                  = var.frontend_url
    TOKEN_KEYS_SECRET_VERSION     = "${google_secret_manager_secret.secret["token-keys"].id}/versions/latest"
    GMAIL_ENABLED                 = tostring(var.gmail_enabled)
    GMAIL_WATCH_TOPIC             = google_pubsub_topic.topic["gmail.notification"].id
    PUBSUB_TOPIC_PREFIX           = local.prefix
    TASKS_LOCATION                = var.region
    EXTRACTION_QUEUE              = google_cloud_tasks_queue.queue["extraction"].name
    DELAYED_MESSAGES_QUEUE        = google_cloud_tasks_queue.queue["delayed_messages"].name
    EXTRACTION_URL                = local.function_url["extraction"]
    WEBHOOK_QUEUE                 = google_cloud_tasks_queue.queue["webhook"].name
    WEBHOOK_URL                   = local.function_url["webhook"]
    TASKS_INVOKER_SERVICE_ACCOUNT = google_service_account.tasks_invoker.email
    CLOUD_SQL_INSTANCE            = google_sql_database_instance.main.connection_name
    CLOUD_SQL_DATABASE            = google_sql_database.app.name
    CLOUD_SQL_IP_TYPE             = "PRIVATE"
    API_RATE_LIMIT_PER_MINUTE     = tostring(var.api_rate_limit_per_minute)
    AUTO_RUN_DEBOUNCE_SECONDS     = tostring(var.auto_run_debounce_seconds)
  }

  # Settings only some functions read: who may call them (shared/auth/google-oidc.ts).
  function_env = {
    cleanup = {
      CLEANUP_URL                     = local.function_url["cleanup"]
      CLEANUP_INVOKER_SERVICE_ACCOUNT = google_service_account.scheduler.email
    }
  }

  # Secrets handed to every function as environment variables (Secret Manager keys of secrets.tf).
  secret_env = {
    GOOGLE_OAUTH_CLIENT_SECRET = "oauth-client-secret"
    OAUTH_STATE_SECRET         = "oauth-state-secret"
  }
}

# The deployable source `npm run build` makes for each function (dist/functions/<name>/,
# its own package.json whose main is its entry), zipped and uploaded.
data "archive_file" "source" {
  for_each = local.functions

  type        = "zip"
  source_dir  = "${path.module}/${var.source_dir}/${each.key}"
  output_path = "${path.module}/.build/${each.key}.zip"
}

resource "google_storage_bucket_object" "source" {
  for_each = local.functions

  name   = "functions/${each.key}-${data.archive_file.source[each.key].output_md5}.zip"
  bucket = google_storage_bucket.sources.name
  source = data.archive_file.source[each.key].output_path
}

resource "google_cloudfunctions2_function" "fn" {
  for_each = local.functions

  name        = "${local.prefix}${each.key}"
  location    = var.region
  description = "ByteReview ${each.key} stage"
  labels      = { app = "bytereview", stage = each.key }

  build_config {
    runtime         = "nodejs24"
    entry_point     = each.key
    service_account = google_service_account.builder.id

    source {
      storage_source {
        bucket = google_storage_bucket.sources.name
        object = google_storage_bucket_object.source[each.key].name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.function[each.key].email
    available_memory                 = each.value.memory
    available_cpu                    = each.value.cpu
    max_instance_request_concurrency = each.value.concurrency
    min_instance_count               = each.value.min_instances
    max_instance_count               = each.value.max_instances
    timeout_seconds                  = each.value.timeout_seconds
    ingress_settings                 = each.value.public ? "ALLOW_ALL" : "ALLOW_INTERNAL_ONLY"
    all_traffic_on_latest_revision   = true
    vpc_connector                    = google_vpc_access_connector.functions.id
    vpc_connector_egress_settings    = "PRIVATE_RANGES_ONLY"

    environment_variables = merge(local.common_env, {
      DB_POOL_MAX        = tostring(each.value.concurrency)
      CLOUD_SQL_IAM_USER = trimsuffix(google_service_account.function[each.key].email, ".gserviceaccount.com")
    }, try(local.function_env[each.key], {}))

    dynamic "secret_environment_variables" {
      for_each = local.secret_env
      content {
        key        = secret_environment_variables.key
        project_id = var.project_id
        secret     = google_secret_manager_secret.secret[secret_environment_variables.value].secret_id
        version    = "latest"
      }
    }
  }

  # Pub/Sub stages: the function's Eventarc trigger, retried until the message dead-letters
  # (2nd gen functions drop a failed event without RETRY_POLICY_RETRY).
  dynamic "event_trigger" {
    for_each = each.value.trigger == "pubsub" ? [each.value.topic] : []
    content {
      trigger_region        = var.region
      event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
      pubsub_topic          = google_pubsub_topic.topic[event_trigger.value].id
      retry_policy          = "RETRY_POLICY_RETRY"
      service_account_email = google_service_account.trigger[each.key].email
    }
  }

  depends_on = [
    google_project_service.enabled,
    google_secret_manager_secret_iam_member.accessor,
    google_project_iam_member.function_database,
  ]
}
