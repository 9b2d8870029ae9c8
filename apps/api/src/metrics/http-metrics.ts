import type { NextFunction, Request, RequestHandler, Response } from 'express';

import { Metrics } from '@rampart/metrics';

/**
 * Counts and times every HTTP answer, mounted before the body parsers so their refusals (413,
 * malformed JSON) count too. Labelled by the matched route pattern (`/api/v1/incidents/:id`),
 * never the raw path, so ids in URLs cannot multiply the series; no route is `unmatched`.
 */
export function httpMetrics(metrics: Metrics): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const pattern: unknown = (request.route as { path?: unknown } | undefined)?.path;
      const route = typeof pattern === 'string' ? pattern : 'unmatched';
      const method = request.method;
      metrics.httpRequests.inc({ method, route, status: String(response.statusCode) });
      metrics.httpRequestSeconds.observe({ method, route }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
