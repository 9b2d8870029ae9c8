import { createHash } from 'node:crypto';

import { Controller, Headers, HttpCode, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';

import { ALERT_FORMATS, parseJsonLosslessly } from '@rampart/alerts';
import { type AuthenticatedRequest, RequirePermission } from '@rampart/auth';
import { AppConfig } from '@rampart/config';
import { ApiDoc, ApiError, ZodValidationPipe } from '@rampart/web';

import { IngestAlertsUseCase } from '../../application/ingest-alerts.use-case';
import { IntakeSourceService } from '../../application/intake-source.service';
import { parseIntakePayload } from '../../domain/parse-intake-payload';
import {
  canonicalSignature,
  SIGNATURE_FAILURE_MESSAGES,
  verifyWebhookSignature,
} from '../../domain/webhook-signature';

export const ALERT_INTAKE_PATH = '/api/v1/alerts';
const MAX_ITEMS = 5000;

const intakeQuery = z
  .object({
    format: z.enum(ALERT_FORMATS).optional().describe('skip detection and read every alert as this format'),
    source: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/i, 'letters, digits, . _ - (at most 63)')
      .optional()
      .describe('the intake source (or header X-Soar-Source)'),
  })
  .strict();

const INTAKE_RESULT = {
  type: 'object',
  properties: {
    accepted: { type: 'integer' },
    duplicate: { type: 'integer' },
    rejected: { type: 'integer' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          index: { type: 'integer' },
          status: { enum: ['accepted', 'duplicate', 'rejected'] },
          alertId: { type: 'string', format: 'uuid' },
          code: { type: 'string' },
          reason: { type: 'string' },
          timeFallback: {
            enum: ['missing', 'unreadable', 'implausible'],
            description: 'set when the alert is dated by its arrival, and why',
          },
        },
      },
    },
  },
};

@Controller(ALERT_INTAKE_PATH)
export class AlertIntakeController {
  constructor(
    private readonly ingest: IngestAlertsUseCase,
    private readonly sources: IntakeSourceService,
    private readonly config: AppConfig,
  ) {}

  /**
   * One alert, an array, NDJSON or CEF lines, in any supported format. 202 with per-item results;
   * 422 when nothing in the body could be accepted.
   */
  @Post()
  @RequirePermission('alerts:ingest')
  @ApiDoc({
    summary: 'Send alerts (webhook intake)',
    description:
      'One alert, a JSON array, NDJSON or CEF lines, in any supported format (auto-detected, or `format`). ' +
      'A source with an HMAC secret must sign: `X-Soar-Signature: sha256=<hex of HMAC-SHA256(secret, "<timestamp>.<raw body>")>` ' +
      'with `X-Soar-Timestamp` (Unix seconds, ±300 s); a signature is accepted once. ' +
      'An API key bound to a source delivers for that source only, named or not; a source with bound keys ' +
      'takes deliveries from them only (403 source_mismatch).',
    headers: [
      { name: 'X-Soar-Source', description: 'the intake source' },
      { name: 'X-Soar-Signature', description: 'sha256=<hex>', pattern: '^sha256=[0-9a-f]{64}$' },
      { name: 'X-Soar-Timestamp', description: 'Unix seconds', pattern: '^\\d+$' },
    ],
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: { oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' } }] },
        },
        'application/x-ndjson': { schema: { type: 'string' } },
        'text/plain': {
          schema: { type: 'string', description: 'CEF lines, optionally with a syslog prefix' },
        },
      },
    },
    responses: { 202: { description: 'per-item results', schema: INTAKE_RESULT } },
    errors: [403, 404, 413, 422],
  })
  @HttpCode(HttpStatus.ACCEPTED)
  async receive(
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
    @Query(new ZodValidationPipe(intakeQuery, 'query')) query: z.output<typeof intakeQuery>,
    @Headers('x-soar-source') sourceHeader?: string,
    @Headers('x-soar-signature') signature?: string,
    @Headers('x-soar-timestamp') timestamp?: string,
  ) {
    // Express routes case-insensitively and with or without a trailing slash, but only this exact
    // path gets the raw body: any other spelling would be read as an empty payload.
    if (request.path !== ALERT_INTAKE_PATH) {
      throw new ApiError(
        HttpStatus.NOT_FOUND,
        'not_found',
        `no route ${request.method} ${request.path}; alerts go to POST ${ALERT_INTAKE_PATH}`,
        { field: 'path' },
      );
    }
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const source = await this.checkSource(request, sourceHeader ?? query.source, raw, signature, timestamp);

    const parsed = parseIntakePayload(raw.toString('utf8'), parseJsonLosslessly);
    if (!parsed.ok)
      throw new ApiError(HttpStatus.BAD_REQUEST, parsed.code, parsed.message, { field: 'body' });
    if (parsed.items.length > MAX_ITEMS) {
      throw new ApiError(
        HttpStatus.PAYLOAD_TOO_LARGE,
        'too_many_alerts',
        `at most ${MAX_ITEMS} alerts per request`,
        {
          field: 'body',
        },
      );
    }
    const result = await this.ingest.execute({
      items: parsed.items,
      originals: parsed.originals,
      intake: 'webhook',
      format: query.format,
      ...(source === null ? {} : { source }),
    });
    const body = {
      accepted: result.accepted,
      duplicate: result.duplicate,
      rejected: result.rejected,
      items: result.items,
    };
    if (result.accepted === 0 && result.duplicate === 0) {
      const first = result.items.find((item) => item.status === 'rejected');
      response.status(HttpStatus.UNPROCESSABLE_ENTITY);
      return {
        statusCode: HttpStatus.UNPROCESSABLE_ENTITY,
        code: first?.status === 'rejected' ? first.code : 'rejected',
        message: first?.status === 'rejected' ? `no alert accepted: ${first.reason}` : 'no alert accepted',
        ...body,
      };
    }
    return body;
  }

  /** Whose the delivery is (see decideDeliverySource), and, when that source signs, its signature checked. */
  private async checkSource(
    request: AuthenticatedRequest,
    named: string | undefined,
    raw: Buffer,
    signature?: string,
    timestamp?: string,
  ): Promise<string | null> {
    const keyId =
      request.principal?.kind === 'api_key' && UUID.test(request.principal.id)
        ? request.principal.id
        : undefined;
    const decided = await this.sources.deliverySource(named, keyId);
    if (!decided.ok) {
      throw new ApiError(decided.status, decided.code, decided.message, { field: 'X-Soar-Source' });
    }
    const source = decided.source;
    if (source === null) {
      if (signature !== undefined) {
        throw new ApiError(
          HttpStatus.BAD_REQUEST,
          'unknown_source',
          'a signed delivery must name its source (X-Soar-Source)',
          { field: 'X-Soar-Source' },
        );
      }
      return null;
    }
    if (source.hmacSecret === null) return source.name;
    const tolerance = this.config.env.SOAR_HMAC_TOLERANCE_SECONDS;
    const failure = verifyWebhookSignature({
      signatureHeader: signature,
      timestampHeader: timestamp,
      rawBody: raw,
      secret: source.hmacSecret,
      nowMs: Date.now(),
      toleranceSeconds: tolerance,
    });
    if (failure) {
      throw new ApiError(HttpStatus.UNAUTHORIZED, failure, SIGNATURE_FAILURE_MESSAGES[failure], {
        field: failure.includes('timestamp') ? 'X-Soar-Timestamp' : 'X-Soar-Signature',
      });
    }
    // Remembered in its one spelling: SHA256= or upper-case hex is the same signature replayed.
    const canonical = canonicalSignature(signature as string) as string;
    const hash = createHash('sha256').update(`${source.name}:${canonical}`).digest('hex');
    const expiresAt = new Date((Number(timestamp) + tolerance) * 1000);
    if (!(await this.sources.claimSignature(source.name, hash, expiresAt))) {
      throw new ApiError(
        HttpStatus.UNAUTHORIZED,
        'replayed_signature',
        'this signature was already used: replay refused',
        { field: 'X-Soar-Signature' },
      );
    }
    return source.name;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
