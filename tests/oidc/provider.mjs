// An independent OpenID Connect provider for the test suite: panva/oidc-provider (a certified
// implementation) on loopback. The suite starts it with `node provider.mjs` and drives it through
// a few /__test__/ control endpoints:
//   PUT  /__test__/accounts  {login: {sub, name, birthdate, address: {formatted}, ...}}
//   PUT  /__test__/tamper    {"mode": "none" | "wrong-nonce" | "expired" | "bad-signature"}
//   POST /__test__/rotate    replace the signing key (a new kid), as a provider rotating keys
// The tamper modes rewrite the ID token that the real token endpoint issued, the way a broken or
// hostile provider (or a man in the middle) would; the relying party must refuse each of them.
import { randomUUID } from 'node:crypto';
import http from 'node:http';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.OIDC_CLIENTS || '[]');
// The relying party's callback path: any loopback or test-client host may use it, so that
// Django's test client (http://testserver) and the live server (a random port) both can.
const callbackPath = process.env.OIDC_CALLBACK_PATH_RE || '^/accounts/login/oidc/[a-z0-9-]+/callback/$';

let accounts = {};
let tamper = 'none';
let signingKey;
let provider;

// The authentication methods the login page offers, as a real IdP would report them.
const METHODS = {
  card: { acr: 'urn:madoguchi:test:mynumber-card', amr: ['hwk', 'pin'] },
  password: { acr: 'urn:madoguchi:test:password', amr: ['pwd'] },
};

async function newSigningKey() {
  const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const jwk = await jose.exportJWK(privateKey);
  return { ...jwk, kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

function build() {
  const instance = new Provider(issuer, {
    clients: clients.map((client) => ({
      client_id: client.client_id,
      client_secret: client.client_secret,
      redirect_uris: ['http://127.0.0.1/accounts/login/oidc/callback/'],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    jwks: { keys: [signingKey] },
    findAccount: async (ctx, id) => {
      const claims = accounts[id];
      if (!claims) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
    },
    claims: {
      openid: ['sub', 'acr', 'amr', 'auth_time', 'sid'],
      profile: ['name', 'family_name', 'given_name', 'birthdate', 'gender'],
      address: ['address'],
      email: ['email', 'email_verified'],
    },
    acrValues: Object.values(METHODS).map((method) => method.acr),
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    cookies: { keys: ['madoguchi-test-idp-cookie-key'] },
    ttl: { AccessToken: 600, AuthorizationCode: 600, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
  });
  instance.Client.prototype.redirectUriAllowed = (value) => {
    const url = URL.parse(value);
    return Boolean(url)
      && ['testserver', 'localhost', '127.0.0.1'].includes(url.hostname)
      && new RegExp(callbackPath).test(url.pathname);
  };
  instance.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/token' && ctx.body && ctx.body.id_token && tamper !== 'none') {
      ctx.body = { ...ctx.body, id_token: await tampered(ctx.body.id_token) };
    }
  });
  return instance;
}

async function tampered(idToken) {
  const claims = jose.decodeJwt(idToken);
  const header = jose.decodeProtectedHeader(idToken);
  const now = Math.floor(Date.now() / 1000);
  let key = await jose.importJWK(signingKey, 'RS256');
  if (tamper === 'wrong-nonce') claims.nonce = 'a-nonce-this-relying-party-never-sent';
  if (tamper === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  if (tamper === 'bad-signature') {
    // Signed by someone else's key under the provider's key id.
    key = (await jose.generateKeyPair('RS256')).privateKey;
  }
  return new jose.SignJWT(claims).setProtectedHeader(header).sign(key);
}

function loginPage(uid, details) {
  const options = Object.entries(accounts)
    .map(([login, claims]) => `<option value="${login}">${claims.name || login}</option>`)
    .join('');
  return `<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>Test IdP</title></head>
<body><main><h1>Test IdP sign-in</h1><p>Requested acr: ${details.acr || '-'}</p>
<form method="post" action="/interaction/${uid}">
<label for="login">Account</label><select id="login" name="login">${options}</select>
<label for="method">Method</label><select id="method" name="method">
<option value="card">My Number card</option><option value="password">Password</option></select>
<button type="submit">Sign in</button></form></main></body></html>`;
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function interaction(req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'consent') {
    // The resident consents: grant what the relying party asked for.
    const grant = new provider.Grant({
      accountId: details.session.accountId,
      clientId: details.params.client_id,
    });
    grant.addOIDCScope(details.params.scope);
    const result = { consent: { grantId: await grant.save() } };
    return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
  }
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return res.end(loginPage(uid, { acr: details.params.acr_values }));
  }
  const form = new URLSearchParams(await readBody(req));
  const method = METHODS[form.get('method')] || METHODS.password;
  return provider.interactionFinished(
    req,
    res,
    { login: { accountId: form.get('login'), acr: method.acr, amr: method.amr } },
    { mergeWithLastSubmission: false },
  );
}

async function control(req, res, path) {
  const body = req.method === 'GET' ? '' : await readBody(req);
  if (path === '/__test__/accounts') accounts = JSON.parse(body);
  else if (path === '/__test__/tamper') tamper = JSON.parse(body).mode;
  else if (path === '/__test__/rotate') {
    signingKey = await newSigningKey();
    provider = build();
  } else if (path !== '/__test__/health') {
    res.writeHead(404);
    return res.end();
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  return res.end(JSON.stringify({ kid: signingKey.kid, tamper }));
}

signingKey = await newSigningKey();
provider = build();

const server = http.createServer(async (req, res) => {
  const { pathname } = new URL(req.url, issuer);
  try {
    if (pathname.startsWith('/__test__/')) return await control(req, res, pathname);
    const match = pathname.match(/^\/interaction\/([^/]+)$/);
    if (match) return await interaction(req, res, match[1]);
    return provider.callback()(req, res);
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain' });
    return res.end(String(error));
  }
});
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
