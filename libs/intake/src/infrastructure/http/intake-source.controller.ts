import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Put } from '@nestjs/common';
import { z } from 'zod';

import { ApiError, ZodValidationPipe } from '@rampart/web';

import { IntakeSourceService } from '../../application/intake-source.service';

const sourceName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/i, 'letters, digits, . _ - (at most 63)');
const upsertBody = z
  .object({ hmacSecret: z.string().min(16, 'at least 16 characters').max(512).nullable() })
  .strict();

/** Admin-only: named webhook senders and their HMAC secrets (write-only). */
@Controller('api/v1/intake-sources')
export class IntakeSourceController {
  constructor(private readonly sources: IntakeSourceService) {}

  @Get()
  async list() {
    return { items: await this.sources.list() };
  }

  @Put(':name')
  async upsert(
    @Param('name', new ZodValidationPipe(sourceName, 'param')) name: string,
    @Body(new ZodValidationPipe(upsertBody)) body: z.output<typeof upsertBody>,
  ) {
    return this.sources.upsert(name, body.hmacSecret);
  }

  @Delete(':name')
  @HttpCode(HttpStatus.NO_CONTENT)
  async remove(@Param('name', new ZodValidationPipe(sourceName, 'param')) name: string) {
    if (!(await this.sources.remove(name))) {
      throw new ApiError(HttpStatus.NOT_FOUND, 'not_found', `no intake source named "${name}"`, {
        field: 'param.name',
      });
    }
  }
}
