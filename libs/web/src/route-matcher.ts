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
  private readonly patterns: { method: string; path: string; pattern: RegExp }[];

  constructor(routes: readonly RouteSpec[]) {
    this.patterns = routes.map((route) => ({
      method: route.method.toUpperCase(),
      path: route.path,
      pattern: compile(route.path),
    }));
  }

  matches(method: string, path: string): boolean {
    return this.find(method, path) !== undefined;
  }

  /** The route a request would reach, as declared (`/api/v1/incidents/:id`); undefined when none. */
  find(method: string, path: string): RouteSpec | undefined {
    const verb = method.toUpperCase();
    const found = this.patterns.find(
      (route) =>
        (route.method === verb || route.method === 'ALL' || (verb === 'HEAD' && route.method === 'GET')) &&
        route.pattern.test(path),
    );
    return found ? { method: found.method, path: found.path } : undefined;
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
