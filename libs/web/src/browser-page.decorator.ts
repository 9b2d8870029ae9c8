import { SetMetadata } from '@nestjs/common';

export const BROWSER_PAGE_KEY = 'rampart:browser-page';

/**
 * A page a person opens in a browser (a console page, GET only). Without credentials it is not
 * answered 401 at the edge like an API route: it reaches the authorization guard, whose refusal
 * the page's own exception filter turns into a redirect to the sign-in page. Its permission is
 * still required (@RequirePermission) and enforced by the same guard.
 */
export const BrowserPage = () => SetMetadata(BROWSER_PAGE_KEY, true);
