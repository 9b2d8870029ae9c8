import { Controller, Get, Header, Res } from '@nestjs/common';
import type { Response } from 'express';

import { RequirePermission } from '@rampart/auth';
import { ApiDoc } from '@rampart/web';
import { Metrics } from '@rampart/metrics';

/** Prometheus scrape endpoint; scrape with an auditor (read-only) API key as bearer token. */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @RequirePermission('metrics:read')
  @ApiDoc({ summary: 'Prometheus metrics', responses: { 200: 'Prometheus text exposition format' } })
  @Header('Cache-Control', 'no-store')
  async scrape(@Res() response: Response): Promise<void> {
    response.type(this.metrics.contentType).send(await this.metrics.text());
  }
}
