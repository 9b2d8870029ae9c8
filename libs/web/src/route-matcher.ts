/** A route as the router knows it: an Express path such as `/api/v1/incidents/:id`. */
export interface RouteSpec {
  method: string;
  path: string;
}

/**
 * Tells whether a request would reach one of `routes`, before the router runs (authentication
 * and body parsing happen first). Matches the way Express 5's router does by default: paths are
 * case-insensitive, a trailing slash is optional, `:name` is one path segment, and HEAD reaches
 * GET routes; anything the router would not route here is no match.
 */
export class RouteMatcher {
  private readonly patterns: { method: string; pattern: RegExp }[];

  constructor(routes: readonly RouteSpec[]) {
    this.patterns = routes.map((route) => ({
      method: route.method.toUpperCase(),
      pattern: compile(route.path),
    }));
  }

  matches(method: string, path: string): boolean {
    const verb = method.toUpperCase();
    return this.patterns.some(
      (route) =>
        (route.method === verb || route.method === 'ALL' || (verb === 'HEAD' && route.method === 'GET')) &&
        route.pattern.test(path),
    );
  }
}

function compile(path: string): RegExp {
  const segments = path
    .split('/')
    .filter((segment) => segment.length > 0)
    .map((segment) => {
      if (/^:\w+$/.test(segment)) return '[^/]+';
      if (/^\*\w*$/.test(segment)) return '.+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    });
  return new RegExp(`^/${segments.join('/')}/?$`, 'i');
}
