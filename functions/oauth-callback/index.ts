import * as functions from '@google-cloud/functions-framework';
import { getPlatform } from '../../shared/platform.js';
import { oauthCallbackHandler } from './handler.js';

/** The `oauth-callback` function (HTTPS): Google redirects the browser here after consent. */
export const oauthCallback = oauthCallbackHandler(getPlatform);

functions.http('oauth-callback', oauthCallback);
