import { Controller, Get, HttpStatus, Query } from '@nestjs/common';
import { z } from 'zod';

import { AuditQueries, InvalidAuditCursorError, VerifyAuditTrailUseCase } from '@rampart/audit';
import { Public, RequirePermission } from '@rampart/auth';
import { ApiDoc, ApiError, ZodValidationPipe } from '@rampart/web';

const searchQuery = z
  .object({
    actor: z.string().min(1).max(256).optional().describe('actor name or id'),
    actorKind: z.enum(['user', 'api_key', 'system', 'anonymous']).optional(),
    action: z
      .string()
      .max(128)
      .regex(/^[a-z0-9_.]+\*?$/i, 'a dotted action (incident.updated), or a prefix ending in * (incident.*)')
      .optional(),
    targetType: z.string().min(1).max(64).optional(),
    targetId: z.string().min(1).max(256).optional(),
    from: z.iso.datetime({ offset: true }).optional().describe('entries at or after this time'),
    to: z.iso.datetime({ offset: true }).optional().describe('entries before this time'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().max(64).optional().describe('nextCursor of the previous page'),
  })
  .strict();

/** The audit trail: search, verification, checkpoints and the key that signs them. */
@Controller('api/v1/audit')
export class AuditController {
  constructor(
    private readonly queries: AuditQueries,
    private readonly verification: VerifyAuditTrailUseCase,
  ) {}

  @Get()
  @RequirePermission('audit:read')
  @ApiDoc({
    summary: 'Search the audit trail, newest first: {items, nextCursor}',
    responses: { 200: 'a page of entries with their hashes' },
  })
  async search(@Query(new ZodValidationPipe(searchQuery, 'query')) query: z.output<typeof searchQuery>) {
    const { cursor, from, to, ...filter } = query;
    try {
      return await this.queries.search(
        {
          ...filter,
          ...(from !== undefined ? { from: new Date(from) } : {}),
          ...(to !== undefined ? { to: new Date(to) } : {}),
        },
        cursor,
      );
    } catch (error) {
      if (error instanceof InvalidAuditCursorError) {
        throw new ApiError(HttpStatus.BAD_REQUEST, 'invalid_cursor', 'cursor: not a cursor of this search', {
          field: 'query.cursor',
        });
      }
      throw error;
    }
  }

  @Get('verify')
  @RequirePermission('audit:read')
  @ApiDoc({
    summary:
      'Recompute the whole chain: {valid, entries, head, firstBrokenSeq?, reason?, message, checkpoints, durationMs}',
    responses: { 200: 'the verification result (valid or not)' },
  })
  async verify() {
    return this.verification.execute();
  }

  @Get('checkpoints/latest')
  @RequirePermission('audit:read')
  @ApiDoc({
    summary: 'The latest signed checkpoint of the chain',
    responses: { 200: 'the checkpoint' },
    errors: [404],
  })
  async latestCheckpoint() {
    const checkpoint = await this.queries.latestCheckpoint();
    if (!checkpoint)
      throw new ApiError(HttpStatus.NOT_FOUND, 'not_found', 'no checkpoint has been signed yet');
    return checkpoint;
  }

  /** Public: a public key, published so that anyone can check an export's signature. */
  @Public()
  @Get('public-key')
  @ApiDoc({
    summary:
      'The Ed25519 public key that signs audit checkpoints: {algorithm, publicKey (raw, base64), keyId}',
    responses: { 200: 'the key' },
  })
  publicKey() {
    return this.queries.publicKey();
  }
}
