# A private network for the database's private IP; the functions reach it through a
# Serverless VPC Access connector (the provider's google_cloudfunctions2_function 6.50
# offers vpc_connector, not Direct VPC egress), private ranges only. Cloud Build's
# private pool joins the same network to run migrations.

resource "google_compute_network" "vpc" {
  name                    = "${local.prefix}vpc"
  auto_create_subnetworks = false

  depends_on = [google_project_service.enabled]
}

resource "google_compute_global_address" "private_services" {
  name          = "${local.prefix}private-services"
  purpose       = "VPC_PEERING"
  address_type  = "INTERNAL"
  prefix_length = var.network.psa_prefix_length
  network       = google_compute_network.vpc.id
}

resource "google_service_networking_connection" "private_services" {
  network                 = google_compute_network.vpc.id
  service                 = "servicenetworking.googleapis.com"
  reserved_peering_ranges = [google_compute_global_address.private_services.name]
}

resource "google_vpc_access_connector" "functions" {
  name          = "${local.prefix}conn"
  region        = var.region
  network       = google_compute_network.vpc.name
  ip_cidr_range = var.network.connector_cidr
  machine_type  = var.network.connector_machine
  min_instances = 2
  max_instances = var.network.connector_max_inst

  depends_on = [google_project_service.enabled]
}

resource "google_cloudbuild_worker_pool" "deploy" {
  name     = "${local.prefix}deploy"
  location = var.region

  worker_config {
    machine_type   = "e2-standard-2"
    disk_size_gb   = 100
    no_external_ip = false
  }

  network_config {
    peered_network = google_compute_network.vpc.id
  }

  depends_on = [google_service_networking_connection.private_services]
}
