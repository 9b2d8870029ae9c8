import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

import { Metrics } from '@rampart/metrics';

/**
 * Counts and times every HTTP answer. Labelled by the matched route pattern
 * (`/api/v1/incidents/:id`), never the raw path, so ids in URLs cannot multiply the series.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: Metrics) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const pattern: unknown = (request.route as { path?: unknown } | undefined)?.path;
      // No route, or only the catch-all wildcard this middleware is mounted on.
      const route = typeof pattern === 'string' && !pattern.includes('*') ? pattern : 'unmatched';
      const method = request.method;
      this.metrics.httpRequests.inc({ method, route, status: String(response.statusCode) });
      this.metrics.httpRequestSeconds.observe(
        { method, route },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    });
    next();
  }
}
