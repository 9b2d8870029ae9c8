import { Body, Controller, Delete, Get, HttpStatus, Param, Post, Req } from '@nestjs/common';
import { z } from 'zod';

import { parseDuration } from '@rampart/config';
import { ApiDoc, ApiError, ZodValidationPipe } from '@rampart/web';

import { ApiKeyStore } from '../../application/api-key-store';
import { IssueApiKeyUseCase } from '../../application/issue-api-key.use-case';
import { RevokeApiKeyUseCase } from '../../application/revoke-api-key.use-case';
import { ROLES } from '../../domain/principal';
import { answeringAuthErrors } from './auth-error.mapping';
import type { AuthenticatedRequest } from './authentication.middleware';
import { RequirePermission } from './permission.decorator';
import { apiKeyView } from './views';

const keyId = z.uuid('an API key id (uuid)');

export const issueApiKeyBody = z
  .strictObject({
    name: z.string().trim().min(1).max(128).describe('what the key is for, e.g. "splunk-prod"'),
    role: z.enum(ROLES).describe('what the key may do: ingest for a SIEM that only sends alerts'),
    expiresAt: z.iso.datetime({ offset: true }).optional().describe('when the key stops working'),
    expiresIn: z
      .string()
      .refine((value) => parseDuration(value) !== null, 'a duration like 90d, 12h or 30m')
      .optional()
      .describe('or: how long from now, e.g. 90d'),
  })
  .refine((body) => !(body.expiresAt && body.expiresIn), {
    message: 'give expiresAt or expiresIn, not both',
    path: ['expiresIn'],
  });

const API_KEY = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    prefix: { type: 'string', description: 'the first characters of the key, to recognise it' },
    role: { type: 'string' },
    state: { enum: ['active', 'expired', 'revoked'] },
    createdAt: { type: 'string', format: 'date-time' },
    createdBy: { type: ['string', 'null'] },
    expiresAt: { type: ['string', 'null'], format: 'date-time' },
    lastUsedAt: { type: ['string', 'null'], format: 'date-time', description: 'to the minute' },
    revokedAt: { type: ['string', 'null'], format: 'date-time' },
  },
};

/** API keys for SIEMs, scripts and automation (admin; auditors read them). The secret is shown once. */
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(
    private readonly keys: ApiKeyStore,
    private readonly issue: IssueApiKeyUseCase,
    private readonly revoke: RevokeApiKeyUseCase,
  ) {}

  @Get()
  @RequirePermission('api_keys:read')
  @ApiDoc({
    summary: 'List API keys, newest first: never their secrets',
    responses: {
      200: {
        description: '{items}',
        schema: { type: 'object', properties: { items: { type: 'array', items: API_KEY } } },
      },
    },
  })
  async list() {
    const now = new Date();
    return { items: (await this.keys.list()).map((key) => apiKeyView(key, now)) };
  }

  @Get(':id')
  @RequirePermission('api_keys:read')
  @ApiDoc({
    summary: 'An API key, without its secret',
    responses: { 200: { description: 'the key', schema: API_KEY } },
    errors: [404],
  })
  async get(@Param('id', new ZodValidationPipe(keyId, 'param')) id: string) {
    const key = await this.keys.findById(id);
    if (!key)
      throw new ApiError(HttpStatus.NOT_FOUND, 'api_key_not_found', `no API key ${id}`, {
        field: 'param.id',
      });
    return apiKeyView(key);
  }

  @Post()
  @RequirePermission('api_keys:manage')
  @ApiDoc({
    summary: 'Issue an API key with one role and an optional expiry: `key` is in this answer only',
    responses: {
      201: {
        description: 'the key, with its secret this once',
        schema: { ...API_KEY, properties: { ...API_KEY.properties, key: { type: 'string' } } },
      },
    },
  })
  async add(
    @Req() request: AuthenticatedRequest,
    @Body(new ZodValidationPipe(issueApiKeyBody)) body: z.output<typeof issueApiKeyBody>,
  ) {
    const expiresAt = body.expiresAt
      ? new Date(body.expiresAt)
      : body.expiresIn
        ? new Date(Date.now() + (parseDuration(body.expiresIn) as number))
        : null;
    const issued = await answeringAuthErrors(() =>
      this.issue.execute({
        name: body.name,
        role: body.role,
        expiresAt,
        createdBy: request.principal?.name ?? null,
      }),
    );
    return { ...apiKeyView(issued.apiKey), key: issued.key };
  }

  @Delete(':id')
  @RequirePermission('api_keys:manage')
  @ApiDoc({
    summary: 'Revoke an API key: refused from the next request on; it stays listed as revoked',
    responses: { 200: { description: 'the revoked key', schema: API_KEY } },
    errors: [404],
  })
  async delete(@Param('id', new ZodValidationPipe(keyId, 'param')) id: string) {
    return apiKeyView(await answeringAuthErrors(() => this.revoke.execute(id)));
  }
}
