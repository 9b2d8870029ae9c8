import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Req } from '@nestjs/common';
import { z } from 'zod';

import { type AuthenticatedRequest, RequirePermission } from '@rampart/auth';
import { CONTAINMENT_OPERATIONS } from '@rampart/connectors';
import { ApiDoc, ZodValidationPipe } from '@rampart/web';

import { ProtectedAssetsUseCase } from '../../application/protected-assets.use-case';
import { GUARDED_OPERATIONS, PROTECTED_ASSET_KINDS } from '../../domain/guardrails';
import { answeringContainmentErrors } from './containment-error.mapping';

export const protectedAssetBody = z.strictObject({
  kind: z.enum(PROTECTED_ASSET_KINDS).describe('cidr, host, user or tag'),
  value: z.string().min(1).max(256).describe('an IP or CIDR, a host name, a user name, a tag'),
  operations: z
    .array(z.enum(CONTAINMENT_OPERATIONS))
    .min(1)
    .optional()
    .describe(
      `the operations it is protected from (default every guarded one: ${GUARDED_OPERATIONS.join(', ')})`,
    ),
  reason: z.string().trim().min(1).max(500).optional(),
});

const assetId = z.uuid('must be a protected asset id (uuid)');

/**
 * Protected assets: what containment must never touch (domain controllers, DNS resolvers, the
 * CEO's account). Managed here (admin) or in PROTECTED_ASSETS_FILE.
 */
@Controller('api/v1/protected-assets')
export class ProtectedAssetsController {
  constructor(private readonly assets: ProtectedAssetsUseCase) {}

  @Get()
  @RequirePermission('protected_assets:read')
  @ApiDoc({
    summary: 'Protected assets (from the API and the configuration file)',
    responses: { 200: '{items}' },
  })
  async list() {
    return { items: await this.assets.list() };
  }

  @Post()
  @RequirePermission('protected_assets:manage')
  @ApiDoc({
    summary: 'Protect an asset: containment actions on it are refused and recorded as refused',
    responses: { 201: 'the protected asset' },
    errors: [409],
  })
  async add(
    @Body(new ZodValidationPipe(protectedAssetBody)) body: z.output<typeof protectedAssetBody>,
    @Req() request: AuthenticatedRequest,
  ) {
    return answeringContainmentErrors(() =>
      this.assets.add({ ...body, createdBy: request.principal?.name ?? 'unknown' }),
    );
  }

  @Delete(':id')
  @RequirePermission('protected_assets:manage')
  @ApiDoc({
    summary: 'Stop protecting an asset (API entries only)',
    responses: { 204: 'deleted' },
    errors: [404, 409],
  })
  @HttpCode(HttpStatus.NO_CONTENT)
  async remove(@Param('id', new ZodValidationPipe(assetId, 'param')) id: string) {
    await answeringContainmentErrors(() => this.assets.remove(id), { id: 'param' });
  }
}
