/**
 * Imported first by the deployed entry point, so it runs before any function module: in
 * production the served function's configuration is checked at load (a bad deployment
 * fails its start-up naming the variable), and the production platform is registered.
 * Outside production a local launcher (`npm run serve`) may have offered its platform
 * instead; in production such an offer stops the start-up (shared/production.ts).
 */
import { installStartupPlatform } from '../shared/production.js';

installStartupPlatform();
