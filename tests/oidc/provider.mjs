// A real OpenID Connect provider for the tests: node's oidc-provider (OpenID-certified), configured like
// ProConnect (https://github.com/numerique-gouv/proconnect-documentation, « doc_fs »):
//
// - issuer with a path (`/api/v2`), discovery at `<issuer>/.well-known/openid-configuration`;
// - authorization code flow, PKCE required, `state` and `nonce`;
// - scopes `openid email given_name usual_name siret`, the identity claims served by the userinfo
//   endpoint as a signed JWT (`application/jwt`), `acr` in the ID token (« eidas1 », or the
//   « certification dirigeant » level when the account has it);
// - RP-initiated logout with `id_token_hint`, `state` and `post_logout_redirect_uri`.
//
// Started by the session fixture of `tests/oidc/conftest.py` on a free port; it prints
// `READY <issuer>` once listening and stops when its standard input closes (the test run ended).
//
// Test-only endpoints, under `/_test/` (outside the issuer's path):
// - `POST /_test/accounts` registers a person (JSON: sub, email, given_name, usual_name, siret, acr);
// - `POST /_test/misbehave` makes the next matching response misbehave once (JSON: {"mode": …}), for the
//   red-team tests: `expired`, `wrong-key`, `alg-none`, `wrong-audience`, `wrong-nonce` (ID token),
//   `userinfo-other-sub`, `userinfo-unsigned` (userinfo). The normal journey never sets one.
// Clients register themselves (RFC 7591, `/api/v2/reg`): each test run registers the redirect URIs of its
// own server.

import crypto from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

const PREFIX = '/api/v2';
const SCOPES = ['openid', 'email', 'given_name', 'usual_name', 'siret'];
const ACR_VALUES = ['eidas1', 'https://proconnect.gouv.fr/assurance/certification-dirigeant'];

const signingKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const rogueKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const KID = 'cle-de-test';
const jwk = { ...signingKey.privateKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' };

const accounts = new Map(); // sub → claims
let misbehaviour = null; // one-shot

const b64 = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const decodePart = (part) => JSON.parse(Buffer.from(part, 'base64url').toString());

function sign(header, payload, key) {
  const input = `${b64(header)}.${b64(payload)}`;
  if (header.alg === 'none') return `${input}.`;
  return `${input}.${crypto.sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

function rewrite(jwt, change) {
  const [header, payload] = jwt.split('.').slice(0, 2).map(decodePart);
  const now = Math.floor(Date.now() / 1000);
  switch (change) {
    case 'expired':
      return sign(header, { ...payload, iat: now - 7200, exp: now - 3600 }, signingKey.privateKey);
    case 'wrong-key':
      return sign(header, payload, rogueKey.privateKey);
    case 'alg-none':
      return sign({ alg: 'none', typ: 'JWT' }, payload, null);
    case 'wrong-audience':
      return sign(header, { ...payload, aud: 'un-autre-service' }, signingKey.privateKey);
    case 'wrong-nonce':
      return sign(header, { ...payload, nonce: 'nonce-d-une-autre-connexion' }, signingKey.privateKey);
    case 'userinfo-other-sub':
      return sign(header, { ...payload, sub: 'une-autre-personne' }, signingKey.privateKey);
    default:
      throw new Error(`unknown misbehaviour ${change}`);
  }
}

function page(title, body) {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – fournisseur d'identité de test</title>
<style>body{font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#161616}
h1{font-size:1.4rem}label{display:block;margin:1rem 0 .25rem}input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}
button{margin-top:1rem;padding:.6rem 1rem;font-size:1rem;background:#000091;color:#fff;border:0}</style></head>
<body><main><p>Fournisseur d'identité de test (configuré comme ProConnect)</p>${body}</main></body></html>`;
}

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString();
}

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  const issuer = `${origin}${PREFIX}`;

  const provider = new Provider(issuer, {
    jwks: { keys: [jwk] },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    scopes: SCOPES,
    claims: {
      // ProConnect always puts the level of the login (acr) in the ID token.
      openid: ['sub', 'acr'],
      email: ['email'],
      given_name: ['given_name'],
      usual_name: ['usual_name'],
      siret: ['siret'],
    },
    acrValues: ACR_VALUES,
    pkce: { required: () => true },
    responseTypes: ['code'],
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true },
      claimsParameter: { enabled: true },
      jwtUserinfo: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          // ProConnect ends its session at once: the form submits itself.
          ctx.body = page(
            'Déconnexion',
            `<h1>Déconnexion</h1>${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Se déconnecter</button>
<script>document.getElementById('op.logoutForm').insertAdjacentHTML('beforeend','<input type="hidden" name="logout" value="yes">');document.getElementById('op.logoutForm').submit();</script>`,
          );
        },
      },
    },
    ttl: { AccessToken: 60, AuthorizationCode: 30, IdToken: 3600, Interaction: 600, Session: 43200, Grant: 43200 },
    findAccount: async (ctx, sub) => {
      const claims = accounts.get(sub);
      if (!claims) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...claims }) };
    },
    interactions: { url: (ctx, interaction) => `/_interaction/${interaction.uid}` },
    // The person consents once, at ProConnect: no consent screen here.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(' '));
      grant.addOIDCClaims([...ctx.oidc.requestParamClaims]);
      await grant.save();
      return grant;
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page('Erreur', `<h1>Erreur</h1><pre>${escape(JSON.stringify(out, null, 2))}</pre>`);
    },
  });
  provider.proxy = false;

  provider.use(async (ctx, next) => {
    await next();
    if (!misbehaviour) return;
    if (ctx.path === '/token' && ctx.status === 200 && ctx.body?.id_token
        && !misbehaviour.startsWith('userinfo-')) {
      ctx.body = { ...ctx.body, id_token: rewrite(ctx.body.id_token, misbehaviour) };
      misbehaviour = null;
    } else if (ctx.path === '/me' && ctx.status === 200 && misbehaviour.startsWith('userinfo-')) {
      if (misbehaviour === 'userinfo-unsigned') {
        const [, payload] = String(ctx.body).split('.');
        ctx.type = 'application/json';
        ctx.body = decodePart(payload);
      } else {
        ctx.body = rewrite(String(ctx.body), misbehaviour);
      }
      misbehaviour = null;
    }
  });

  const handle = provider.callback();

  server.on('request', async (req, res) => {
    const url = new URL(req.url, origin);
    try {
      if (url.pathname.startsWith(PREFIX)) {
        req.originalUrl = req.url;
        req.url = req.url.slice(PREFIX.length) || '/';
        return handle(req, res);
      }
      if (req.method === 'POST' && url.pathname === '/_test/accounts') {
        const account = JSON.parse(await readBody(req));
        const { sub, ...claims } = account;
        accounts.set(sub, claims);
        res.writeHead(204).end();
        return undefined;
      }
      if (req.method === 'POST' && url.pathname === '/_test/misbehave') {
        misbehaviour = JSON.parse(await readBody(req)).mode;
        res.writeHead(204).end();
        return undefined;
      }
      const interaction = url.pathname.match(/^\/_interaction\/([\w-]+)$/);
      if (interaction && req.method === 'GET') {
        await provider.interactionDetails(req, res);
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page('Connexion', `<h1>Connexion</h1>
<form method="post" action="${url.pathname}"><label for="email">Adresse e-mail professionnelle</label>
<input id="email" name="email" type="email" autocomplete="email" required><button type="submit">Se connecter</button></form>`));
        return undefined;
      }
      if (interaction && req.method === 'POST') {
        const email = new URLSearchParams(await readBody(req)).get('email') || '';
        const found = [...accounts.entries()].find(([, claims]) => claims.email === email.trim().toLowerCase());
        if (!found) {
          res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page('Connexion', `<h1>Connexion</h1><p>Aucun compte pour ${escape(email)}.</p>`));
          return undefined;
        }
        const [sub, claims] = found;
        await provider.interactionFinished(req, res, { login: { accountId: sub, acr: claims.acr || 'eidas1' } }, { mergeWithLastSubmission: false });
        return undefined;
      }
      res.writeHead(404).end();
    } catch (error) {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(error?.stack || error));
    }
    return undefined;
  });

  process.stdout.write(`READY ${issuer}\n`);
});

process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
