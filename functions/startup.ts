/**
 * Imported first by the deployed entry point, so it runs before any function module: in
 * production the served function's configuration is checked at load (a bad deployment
 * fails its start-up naming the variable), and the production platform is registered.
 */
import { registerProductionPlatform } from '../shared/production.js';

registerProductionPlatform();
