# Uploaded documents, produced exports, and the functions' source archives. Uniform
# access, public access prevented; nothing here is ever public (links are signed).

resource "google_storage_bucket" "uploads" {
  name                        = "${var.project_id}-${local.prefix}uploads"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false
  labels                      = { app = "bytereview" }

  # The browser uploads straight here through a signed resumable-upload URL.
  cors {
    origin          = var.frontend_origins
    method          = ["PUT", "POST", "OPTIONS"]
    response_header = ["Content-Type", "Content-Range", "Location", "X-Goog-Resumable", "X-Upload-Content-Type", "X-Upload-Content-Length"]
    max_age_seconds = 3600
  }

  depends_on = [google_project_service.enabled]
}

resource "google_storage_bucket" "exports" {
  name                        = "${var.project_id}-${local.prefix}exports"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false
  labels                      = { app = "bytereview" }

  # Download exports live as long as the retention; cleanup deletes their rows, this the bytes.
  lifecycle_rule {
    condition {
      age = var.export_retention_days
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.enabled]
}

resource "google_storage_bucket" "sources" {
  name                        = "${var.project_id}-${local.prefix}function-sources"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  labels                      = { app = "bytereview" }

  lifecycle_rule {
    condition {
      age = 30
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.enabled]
}
