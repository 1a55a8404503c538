import * as functions from '@google-cloud/functions-framework';
import { getPlatform } from '../../shared/platform.js';
import { createApiApp } from './app.js';
import { loadCorsSettings } from './cors.js';

/** The `api` function (HTTPS): the frontend's endpoints. */
export const api = createApiApp(getPlatform, loadCorsSettings());

functions.http('api', api);
