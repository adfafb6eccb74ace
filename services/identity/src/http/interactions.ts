import { hashSecret, pkcePair, verifySecretAsync } from '@firegov/auth';
import type { Logger, Redis } from '@firegov/kit';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { randomBytes } from 'node:crypto';
import type { User } from '../domain/users.ts';
import { API_RESOURCE, CONSOLE_CLIENT_ID, signedInPath } from '../oidc/provider.ts';
import type { ProviderRing } from '../oidc/ring.ts';
import { loginPage, messagePage, signedInPage } from './pages.ts';

// The provider's interaction pages (sign-in and consent in one step, 登录) and a small sign-in for
// people without the console yet: /login starts authorization code + PKCE for the console client,
// /signed-in exchanges the code and shows the tokens. Server-rendered, no scripts, no CDN.

const SCOPE = 'openid profile offline_access read write';
const LOGIN_TTL_S = 600;

const b64url = (b: Buffer) => b.toString('base64url');

export function interactionRoutes(deps: {
  ring: ProviderRing;
  issuer: string;
  redis: Redis;
  redisPrefix: string;
  findUserByName: (username: string) => Promise<User | null>;
  logger: Logger;
  /** Counted before a password is checked (rate-limits.ts); they answer 429 with the sign-in page. */
  loginLimits: RequestHandler[];
}): Router {
  const router = Router();
  // An unknown username is checked against this hash, so it costs what a wrong password costs and
  // the time of the answer does not tell who has an account.
  const unknownUserHash = hashSecret(randomBytes(32).toString('base64url'));
  const form = express.urlencoded({ extended: false, limit: '8kb' });
  const loginKey = (state: string) => `${deps.redisPrefix}login:${state}`;

  const param = (v: unknown) => (typeof v === 'string' ? v : '');
  const details = async (req: Request, res: Response) => {
    try {
      return await deps.ring.provider().interactionDetails(req, res);
    } catch {
      res
        .status(400)
        .type('html')
        .send(messagePage('Sign-in expired', 'This sign-in has expired or was already used. Start again.'));
      return undefined;
    }
  };

  router.get('/interaction/:uid', async (req, res) => {
    const d = await details(req, res);
    if (!d) return;
    res.type('html').send(loginPage({ uid: d.uid, clientId: param(d.params.client_id), scope: param(d.params.scope) }));
  });

  router.post('/interaction/:uid/login', form, ...deps.loginLimits, async (req, res) => {
    const d = await details(req, res);
    if (!d) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const username = typeof body.username === 'string' ? body.username.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const again = (error: string) =>
      res
        .status(401)
        .type('html')
        .send(loginPage({ uid: d.uid, clientId: param(d.params.client_id), scope: param(d.params.scope), error, username }));
    if (!username) return void again('username: is required');
    if (!password) return void again('password: is required');
    const user = await deps.findUserByName(username);
    // One answer, and one cost, for an unknown user and a wrong password: the page does not confirm who exists.
    const matches = await verifySecretAsync(password, user?.passwordHash ?? unknownUserHash);
    if (!user || !matches) return void again('the username or password is wrong');

    const provider = deps.ring.provider();
    const grant = d.grantId
      ? await provider.Grant.find(d.grantId)
      : new provider.Grant({ accountId: user._id, clientId: param(d.params.client_id) });
    if (!grant) return void again('this sign-in has expired; start again');
    // The console is first-party: signing in is consenting to what it asked, within the scopes it is registered for.
    grant.addOIDCScope(param(d.params.scope) || 'openid');
    grant.addOIDCClaims(['name', 'role', 'jur']);
    grant.addResourceScope(API_RESOURCE, 'read write');
    const grantId = await grant.save();
    deps.logger.info({ sub: user._id, client: d.params.client_id }, 'person signed in');
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user._id }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  });

  router.post('/interaction/:uid/abort', async (req, res) => {
    const d = await details(req, res);
    if (!d) return;
    await deps.ring
      .provider()
      .interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'the person cancelled the sign-in' },
        { mergeWithLastSubmission: false },
      );
  });

  // A person's way in until the console exists: code + PKCE for the console client, the verifier kept in Redis.
  router.get('/login', async (_req, res) => {
    const state = b64url(randomBytes(16));
    const { verifier, challenge } = pkcePair();
    await deps.redis.set(loginKey(state), verifier, 'EX', LOGIN_TTL_S);
    const url = new URL('/auth', deps.issuer);
    url.search = new URLSearchParams({
      client_id: CONSOLE_CLIENT_ID,
      response_type: 'code',
      redirect_uri: `${deps.issuer}${signedInPath}`,
      scope: SCOPE,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    res.redirect(303, url.toString());
  });

  router.get(signedInPath, async (req, res) => {
    const { code, state, error, error_description: description } = req.query;
    if (typeof error === 'string') {
      return void res
        .status(400)
        .type('html')
        .send(messagePage('Not signed in', typeof description === 'string' ? description : error));
    }
    if (typeof code !== 'string' || typeof state !== 'string') {
      return void res.status(400).type('html').send(messagePage('Not signed in', 'code and state are required'));
    }
    const verifier = await deps.redis.getdel(loginKey(state));
    if (!verifier)
      return void res.status(400).type('html').send(messagePage('Not signed in', 'this sign-in has expired; start again'));
    const answer = await fetch(new URL('/token', deps.issuer), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: CONSOLE_CLIENT_ID,
        code,
        code_verifier: verifier,
        redirect_uri: `${deps.issuer}${signedInPath}`,
      }),
    });
    const tokens = (await answer.json()) as Record<string, unknown>;
    if (!answer.ok)
      return void res
        .status(400)
        .type('html')
        .send(messagePage('Not signed in', String(tokens.error_description ?? tokens.error)));
    res.set('cache-control', 'no-store').type('html').send(signedInPage(tokens));
  });

  return router;
}
