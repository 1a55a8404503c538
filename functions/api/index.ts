import * as functions from '@google-cloud/functions-framework';
import { getPlatform } from '../../shared/platform.js';
import { createApiApp } from './app.js';

/** The `api` function (HTTPS): the frontend's endpoints. */
export const api = createApiApp(getPlatform);

functions.http('api', api);
