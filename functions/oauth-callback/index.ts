import * as functions from '@google-cloud/functions-framework';
import type { Request, Response } from 'express';
import { logContextFromHeaders, withLogContext } from '../../shared/log.js';
import { getPlatform } from '../../shared/platform.js';
import { oauthCallbackHandler } from './handler.js';

/** The `oauth-callback` function (HTTPS): Google redirects the browser here after consent. */
const handleCallback = oauthCallbackHandler(getPlatform);
export const oauthCallback = (req: Request, res: Response) => withLogContext(logContextFromHeaders((name) => req.get(name) ?? undefined), () => handleCallback(req, res));

functions.http('oauth-callback', oauthCallback);
