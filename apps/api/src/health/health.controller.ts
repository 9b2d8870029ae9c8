import { Controller, Get, HttpStatus, ServiceUnavailableException } from '@nestjs/common';

import { Public } from '@rampart/auth';
import { AppConfig } from '@rampart/config';
import { SqlExecutor } from '@rampart/database';
import { ApiDoc } from '@rampart/web';

@Controller('health')
export class HealthController {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly config: AppConfig,
  ) {}

  /** The process is up (liveness probe). */
  @Public()
  @Get('live')
  @ApiDoc({ summary: 'Liveness: the process is up', responses: { 200: 'up' } })
  live() {
    return { status: 'ok' };
  }

  /** The process can do its work: PostgreSQL answers (readiness probe). */
  @Public()
  @Get('ready')
  @ApiDoc({ summary: 'Readiness: PostgreSQL answers', responses: { 200: 'ready' }, errors: [503] })
  async ready() {
    try {
      await this.sql.query('SELECT 1');
    } catch {
      throw new ServiceUnavailableException({
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        code: 'not_ready',
        message: 'PostgreSQL is not reachable',
      });
    }
    return { status: 'ok', roles: this.config.env.SOAR_ROLES, kafka: this.config.kafkaEnabled };
  }
}
