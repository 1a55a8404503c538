# One service account per function with only what that function uses, granted on the
# resource it uses (topic, queue, bucket, secret, service account) wherever IAM allows;
# no primitive roles, no project-wide serviceAccountUser. Callers get run.invoker on the
# one function they call.

locals {
  # Short names keep account ids within 30 characters.
  short_name = {
    api                     = "api"
    oauth-callback          = "oauth-cb"
    run-initializer         = "run-init"
    extraction              = "extraction"
    drive-import            = "drive-imp"
    gmail-import            = "gmail-imp"
    export                  = "export"
    export-on-run-completed = "export-orc"
    gmail-push              = "gmail-push"
    cleanup                 = "cleanup"
    webhook                 = "webhook"
  }

  app_topics = ["run.requested", "run.completed", "export.requested", "drive.import.requested", "gmail.import.requested"]

  # What each function's code does with Google Cloud (shared/ARCHITECTURE.md, "Stages and
  # messages"): the topics its outbox relays to, whether it enqueues extraction tasks, its
  # access to the two buckets, whether it signs URLs (V4 signing through IAM signBlob).
  access = {
    api                     = { publishes = local.app_topics, enqueues = true, uploads = "roles/storage.objectUser", exports = "roles/storage.objectViewer", signs_urls = true }
    oauth-callback          = { publishes = ["drive.import.requested", "gmail.import.requested"], enqueues = false, uploads = null, exports = null, signs_urls = false }
    run-initializer         = { publishes = ["run.completed"], enqueues = true, uploads = null, exports = null, signs_urls = false }
    extraction              = { publishes = ["run.completed"], enqueues = true, uploads = "roles/storage.objectViewer", exports = null, signs_urls = false }
    drive-import            = { publishes = ["drive.import.requested", "run.requested"], enqueues = false, uploads = "roles/storage.objectUser", exports = null, signs_urls = false }
    gmail-import            = { publishes = ["gmail.import.requested", "run.requested"], enqueues = false, uploads = "roles/storage.objectUser", exports = null, signs_urls = false }
    export                  = { publishes = ["export.requested"], enqueues = false, uploads = null, exports = "roles/storage.objectUser", signs_urls = false }
    export-on-run-completed = { publishes = ["export.requested", "run.requested"], enqueues = false, uploads = null, exports = null, signs_urls = false }
    gmail-push              = { publishes = ["drive.import.requested", "gmail.import.requested", "run.requested"], enqueues = false, uploads = null, exports = null, signs_urls = false }
    cleanup                 = { publishes = local.app_topics, enqueues = true, uploads = "roles/storage.objectUser", exports = "roles/storage.objectUser", signs_urls = false }
    webhook                 = { publishes = [], enqueues = false, uploads = null, exports = null, signs_urls = false }
  }

  # Functions whose outbox relays a delayed message (a connector job retry, an auto-run's
  # run.requested): the import stages and the api (uploads) that schedule them, and cleanup,
  # whose sweep relays what a crash left.
  delayed_publishers = ["api", "drive-import", "gmail-import", "cleanup"]
  # Topics a delayed message is published to, by the tasks invoker at its time.
  delayed_topics = ["drive.import.requested", "gmail.import.requested", "run.requested"]

  publisher_grants = merge([for fn, a in local.access : { for topic in a.publishes : "${fn}/${topic}" => { function = fn, topic = topic } }]...)
  bucket_grants = merge(
    { for fn, a in local.access : "${fn}/uploads" => { function = fn, bucket = google_storage_bucket.uploads.name, role = a.uploads } if a.uploads != null },
    { for fn, a in local.access : "${fn}/exports" => { function = fn, bucket = google_storage_bucket.exports.name, role = a.exports } if a.exports != null },
  )
  database_grants = { for pair in setproduct(concat([for fn in keys(local.functions) : "serviceAccount:${google_service_account.function[fn].email}"], ["serviceAccount:${var.deployer_service_account}"]), ["roles/cloudsql.client", "roles/cloudsql.instanceUser"]) : "${pair[0]}/${pair[1]}" => { member = pair[0], role = pair[1] } }

  # Who may invoke each function (roles/run.invoker on its Cloud Run service).
  invokers = merge(
    { for name, fn in local.functions : name => "allUsers" if fn.public },
    { for name, fn in local.event_functions : name => "serviceAccount:${google_service_account.trigger[name].email}" },
    {
      extraction = "serviceAccount:${google_service_account.tasks_invoker.email}"
      webhook    = "serviceAccount:${google_service_account.tasks_invoker.email}"
      cleanup    = "serviceAccount:${google_service_account.scheduler.email}"
    },
  )
}

resource "google_service_account" "function" {
  for_each = local.functions

  account_id   = "${local.prefix}fn-${local.short_name[each.key]}"
  display_name = "ByteReview ${each.key} function"
}

resource "google_service_account" "trigger" {
  for_each = local.event_functions

  account_id   = "${local.prefix}tr-${local.short_name[each.key]}"
  display_name = "ByteReview ${each.key} Eventarc trigger"
}

resource "google_service_account" "tasks_invoker" {
  account_id   = "${local.prefix}tasks-invoker"
  display_name = "ByteReview Cloud Tasks OIDC identity (calls extraction and webhook)"
}

resource "google_service_account" "scheduler" {
  account_id   = "${local.prefix}scheduler"
  display_name = "ByteReview Cloud Scheduler OIDC identity (calls cleanup)"
}

resource "google_service_account" "builder" {
  account_id   = "${local.prefix}builder"
  display_name = "ByteReview Cloud Functions build"
}

resource "google_pubsub_topic_iam_member" "publisher" {
  for_each = local.publisher_grants

  topic  = google_pubsub_topic.topic[each.value.topic].id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${google_service_account.function[each.value.function].email}"
}

resource "google_cloud_tasks_queue_iam_member" "enqueuer" {
  for_each = { for fn, a in local.access : fn => a if a.enqueues }

  name     = google_cloud_tasks_queue.queue["extraction"].name
  location = var.region
  role     = "roles/cloudtasks.enqueuer"
  member   = "serviceAccount:${google_service_account.function[each.key].email}"
}

# Any stage may emit a webhook event (shared/ARCHITECTURE.md, "Webhooks") and relays its
# delivery task after commit, and the webhook stage enqueues its own retries: every
# function enqueues on the webhook queue.
resource "google_cloud_tasks_queue_iam_member" "webhook_enqueuer" {
  for_each = local.functions

  name     = google_cloud_tasks_queue.queue["webhook"].name
  location = var.region
  role     = "roles/cloudtasks.enqueuer"
  member   = "serviceAccount:${google_service_account.function[each.key].email}"
}

# Creating a task with an OIDC token acts as the invoker account: granted on that account only.
resource "google_service_account_iam_member" "acts_as_tasks_invoker" {
  for_each = local.functions

  service_account_id = google_service_account.tasks_invoker.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.function[each.key].email}"
}

resource "google_cloud_tasks_queue_iam_member" "delayed_enqueuer" {
  for_each = toset(local.delayed_publishers)

  name     = google_cloud_tasks_queue.queue["delayed_messages"].name
  location = var.region
  role     = "roles/cloudtasks.enqueuer"
  member   = "serviceAccount:${google_service_account.function[each.key].email}"
}

# A delayed message's task carries an OAuth token of the invoker account: acting as it.
resource "google_service_account_iam_member" "delays_as_tasks_invoker" {
  for_each = toset([for fn in local.delayed_publishers : fn if !local.access[fn].enqueues])

  service_account_id = google_service_account.tasks_invoker.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.function[each.key].email}"
}

# The tasks invoker publishes delayed messages to their topics.
resource "google_pubsub_topic_iam_member" "tasks_invoker_publisher" {
  for_each = toset(local.delayed_topics)

  topic  = google_pubsub_topic.topic[each.key].id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${google_service_account.tasks_invoker.email}"
}

# V4 signed URLs without a key file: the function signs as itself through signBlob.
resource "google_service_account_iam_member" "signs_as_itself" {
  for_each = { for fn, a in local.access : fn => a if a.signs_urls }

  service_account_id = google_service_account.function[each.key].name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = "serviceAccount:${google_service_account.function[each.key].email}"
}

resource "google_storage_bucket_iam_member" "function" {
  for_each = local.bucket_grants

  bucket = each.value.bucket
  role   = each.value.role
  member = "serviceAccount:${google_service_account.function[each.value.function].email}"
}

# Cloud SQL grants are project-level by design (no instance-level IAM); the database
# user's table privileges are the app role's (sql/000014, npm run db:grant).
resource "google_project_iam_member" "function_database" {
  for_each = local.database_grants

  project = var.project_id
  role    = each.value.role
  member  = each.value.member
}

resource "google_project_iam_member" "extraction_vertex" {
  project = var.project_id
  role    = "roles/aiplatform.user"
  member  = "serviceAccount:${google_service_account.function["extraction"].email}"
}

resource "google_project_iam_member" "builder" {
  for_each = toset(["roles/logging.logWriter", "roles/artifactregistry.writer"])

  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${google_service_account.builder.email}"
}

resource "google_storage_bucket_iam_member" "builder_reads_sources" {
  bucket = google_storage_bucket.sources.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.builder.email}"
}

# The deployer names these accounts on the functions, trigger and scheduler it creates.
resource "google_service_account_iam_member" "deployer_acts_as" {
  for_each = merge(
    { for k, sa in google_service_account.function : "function/${k}" => sa.name },
    { for k, sa in google_service_account.trigger : "trigger/${k}" => sa.name },
    { scheduler = google_service_account.scheduler.name, builder = google_service_account.builder.name },
  )

  service_account_id = each.value
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${var.deployer_service_account}"
}

resource "google_cloud_run_v2_service_iam_member" "invoker" {
  for_each = local.invokers

  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.fn[each.key].name
  role     = "roles/run.invoker"
  member   = each.value
}
