import { GoogleAuth } from 'google-auth-library';

let auth: GoogleAuth | undefined;

/**
 * The process's one Application Default Credentials client, handed to every Cloud SDK
 * that accepts one (Storage, Pub/Sub, Cloud Tasks, Secret Manager, the Cloud SQL
 * connector, Gemini): one credential lookup and one token cache per instance instead of
 * one per SDK. Created on first use.
 */
export function processGoogleAuth(): GoogleAuth {
  auth ??= new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
  return auth;
}
