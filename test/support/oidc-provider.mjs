// A real OpenID Connect provider (the `oidc-provider` package) for the sign-in tests, in its own
// process: it is an ES module, and Jest's CommonJS runtime cannot load it. Configured by
// environment: OIDC_PORT (0 = any), OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI and
// OIDC_ACCOUNTS (a JSON file of { accountId: claims }, read at every sign-in so a test can change
// what the IdP says). The login page is skipped: GET /interaction/<uid>?login=<accountId> signs
// that account in and grants the requested scopes, as a user clicking through would.
// Prints "ISSUER <url>" once it listens.
import { readFileSync } from 'node:fs';
import http from 'node:http';

import Provider from 'oidc-provider';

const env = process.env;
const server = http.createServer();
await new Promise((resolve) => server.listen(Number(env.OIDC_PORT ?? 0), '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;
const accounts = () => JSON.parse(readFileSync(env.OIDC_ACCOUNTS, 'utf8'));

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: env.OIDC_CLIENT_ID,
      client_secret: env.OIDC_CLIENT_SECRET,
      redirect_uris: [env.OIDC_REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    email: ['email'],
    groups: ['groups'],
  },
  scopes: ['openid', 'profile', 'email', 'groups'],
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  async findAccount(_ctx, id) {
    const claims = accounts()[id];
    if (!claims) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
  },
});
provider.on('server_error', (_ctx, error) => process.stderr.write(`provider error: ${error.stack}\n`));

const callback = provider.callback();
server.on('request', async (request, response) => {
  if (!request.url.startsWith('/interaction/')) return callback(request, response);
  try {
    const details = await provider.interactionDetails(request, response);
    const login = new URL(request.url, issuer).searchParams.get('login');
    if (!login) {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(`sign in: ${details.prompt.name}`);
      return;
    }
    const grant = new provider.Grant({ accountId: login, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    const grantId = await grant.save();
    await provider.interactionFinished(
      request,
      response,
      { login: { accountId: login }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  } catch (error) {
    response.writeHead(500, { 'content-type': 'text/plain' });
    response.end(String(error));
  }
});

process.stdout.write(`ISSUER ${issuer}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
