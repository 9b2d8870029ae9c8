import { RouteMatcher } from './route-matcher';

describe('RouteMatcher', () => {
  const routes = new RouteMatcher([
    { method: 'GET', path: '/health/live' },
    { method: 'POST', path: '/api/v1/auth/login' },
    { method: 'GET', path: '/' },
    { method: 'GET', path: '/api/v1/things/:id' },
  ]);

  it('matches as the Express router does: any case, optional trailing slash, HEAD for GET', () => {
    expect(routes.matches('GET', '/health/live')).toBe(true);
    expect(routes.matches('GET', '/Health/LIVE/')).toBe(true);
    expect(routes.matches('HEAD', '/health/live')).toBe(true);
    expect(routes.matches('post', '/api/v1/auth/login')).toBe(true);
    expect(routes.matches('GET', '/')).toBe(true);
    expect(routes.matches('GET', '/api/v1/things/42')).toBe(true);
  });

  it('matches nothing the router would send elsewhere', () => {
    expect(routes.matches('POST', '/health/live')).toBe(false);
    expect(routes.matches('GET', '/api/v1/auth/login')).toBe(false);
    expect(routes.matches('GET', '/health/live/extra')).toBe(false);
    expect(routes.matches('GET', '/health/liveX')).toBe(false);
    expect(routes.matches('GET', '/api/v1/things/42/more')).toBe(false);
    expect(routes.matches('GET', '/api/v1/things/')).toBe(false);
    expect(routes.matches('GET', '/healthXlive')).toBe(false);
    expect(routes.matches('GET', '/health/live//')).toBe(false);
    expect(routes.matches('GET', '/health//live')).toBe(false);
  });

  it('reads `//` as the root, as the router does', () => {
    expect(routes.matches('GET', '//')).toBe(true);
  });

  it('names the route a request would reach as declared, for the audit of a refusal', () => {
    expect(routes.find('GET', '/api/v1/things/42')).toEqual({ method: 'GET', path: '/api/v1/things/:id' });
    expect(routes.find('HEAD', '/API/v1/things/42/')).toEqual({ method: 'GET', path: '/api/v1/things/:id' });
    expect(routes.find('GET', '/api/v1/things/42/more')).toBeUndefined();
  });
});
