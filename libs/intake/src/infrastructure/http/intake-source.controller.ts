import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Put } from '@nestjs/common';
import { z } from 'zod';

import { RequirePermission } from '@rampart/auth';
import { ApiDoc, ApiError, ZodValidationPipe } from '@rampart/web';

import { IntakeSourceService } from '../../application/intake-source.service';

const sourceName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/i, 'letters, digits, . _ - (at most 63)');
const upsertBody = z
  .object({
    hmacSecret: z.string().min(16, 'at least 16 characters').max(512).nullable(),
    apiKeyIds: z
      .array(z.uuid('must be an API key id (uuid)'))
      .max(100)
      .optional()
      .describe(
        'API keys bound to the source: their deliveries are its, and only theirs are; omitted keeps them',
      ),
  })
  .strict();

/** Named webhook senders and their HMAC secrets (write-only). */
@Controller('api/v1/intake-sources')
export class IntakeSourceController {
  constructor(private readonly sources: IntakeSourceService) {}

  @Get()
  @RequirePermission('intake_sources:manage')
  @ApiDoc({ summary: 'List intake sources; secrets are never returned', responses: { 200: '{items}' } })
  async list() {
    return { items: await this.sources.list() };
  }

  @Put(':name')
  @RequirePermission('intake_sources:manage')
  @ApiDoc({
    summary: 'Create or update an intake source, its HMAC secret and the API keys bound to it',
    responses: { 200: 'the source, without its secret' },
  })
  async upsert(
    @Param('name', new ZodValidationPipe(sourceName, 'param')) name: string,
    @Body(new ZodValidationPipe(upsertBody)) body: z.output<typeof upsertBody>,
  ) {
    return this.sources.upsert(name, body.hmacSecret, body.apiKeyIds);
  }

  @Delete(':name')
  @RequirePermission('intake_sources:manage')
  @ApiDoc({ summary: 'Delete an intake source', responses: { 204: 'deleted' }, errors: [404] })
  @HttpCode(HttpStatus.NO_CONTENT)
  async remove(@Param('name', new ZodValidationPipe(sourceName, 'param')) name: string) {
    if (!(await this.sources.remove(name))) {
      throw new ApiError(HttpStatus.NOT_FOUND, 'not_found', `no intake source named "${name}"`, {
        field: 'param.name',
      });
    }
  }
}
