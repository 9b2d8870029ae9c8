import { TemplateRenderer } from '@rampart/templates';

// The sign-in page (the console's own pages are in libs/console). A plain HTML
// form that works without script (the CSP allows no inline script or style anyway), every field
// labelled, the first one focused.
const LAYOUT_START = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} · Rampart</title>
</head>
<body>
<main>
<h1>Rampart</h1>`;
const LAYOUT_END = `</main>
</body>
</html>
`;

const SIGN_IN = `${LAYOUT_START}
<h2>Sign in</h2>
{{#if error}}<p role="alert">{{error}}</p>{{/if}}
{{#if insecure}}<p role="alert">This page came over plain http from a host other than localhost, so your browser will not keep the sign-in cookie. Serve Rampart over https (or behind a TLS proxy).</p>{{/if}}
<form method="post" action="/api/v1/auth/login">
<input type="hidden" name="returnTo" value="{{returnTo}}">
<p><label for="username">Username</label><br>
<input id="username" name="username" autocomplete="username" required autofocus value="{{username}}"></p>
<p><label for="password">Password</label><br>
<input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Sign in</button></p>
</form>
{{#if oidc}}<p><a href="/api/v1/auth/oidc/login?returnTo={{returnToQuery}}">Sign in with your organisation’s account</a></p>{{/if}}
${LAYOUT_END}`;

/** What the sign-in page may say after a redirect: known reasons only, never text from the URL. */
const REASONS: Record<string, string> = {
  session_expired: 'Your session ended. Sign in again.',
  signed_out: 'You are signed out.',
  oidc_failed: 'The sign-in with your organisation’s account did not complete. Try again.',
  oidc_no_role: 'Your organisation’s account is not granted a role in Rampart. Ask an administrator.',
  oidc_unknown_user: 'There is no Rampart account for you, or it is disabled. Ask an administrator.',
  oidc_not_configured: 'Sign-in with an organisation account is not configured.',
  cross_site_request: 'Sign-in is only accepted from this page.',
};

const renderer = new TemplateRenderer({ escape: 'html' });

export interface SignInPage {
  error?: string;
  /** A reason code from REASONS (from a redirect). */
  reason?: string;
  username?: string;
  returnTo: string;
  oidc: boolean;
  insecure: boolean;
}

export function renderSignIn(page: SignInPage): string {
  return renderer.render(SIGN_IN, {
    title: 'Sign in',
    error: page.error ?? (page.reason ? (REASONS[page.reason] ?? 'Sign in again.') : ''),
    insecure: page.insecure,
    username: page.username ?? '',
    returnTo: page.returnTo,
    returnToQuery: encodeURIComponent(page.returnTo),
    oidc: page.oidc,
  });
}
