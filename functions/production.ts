/**
 * What every deployed function's bundle runs before its own module (`npm run build`):
 * the production platform, built from the environment on the first request.
 */
import { setPlatformFactory } from '../shared/platform.js';
import { createProductionPlatform } from '../shared/production.js';

setPlatformFactory(() => createProductionPlatform());
