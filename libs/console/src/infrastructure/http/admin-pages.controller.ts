import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';

import {
  ApiKeyStore,
  apiKeyView,
  type AuthenticatedRequest,
  RequirePermission,
  ROLES,
  USER_ROLES,
  UserStore,
  userView,
} from '@rampart/auth';
import { ConnectorInstanceQueries } from '@rampart/connectors';
import { PROTECTED_ASSET_KINDS, ProtectedAssetsUseCase } from '@rampart/containment';
import { ApiDoc, BrowserPage } from '@rampart/web';

import { shortTime } from '../../domain/format';
import { ConsoleExceptionFilter } from './console-exception.filter';
import { ConsoleViews } from './console-views';
import { principalOf, send } from './page-response';
import { pageDoc } from './page-doc';

/** Administration: users and roles, API keys, connectors (read-only, with a check), protected assets. */
@Controller('admin')
@UseFilters(ConsoleExceptionFilter)
export class AdminPagesController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly users: UserStore,
    private readonly keys: ApiKeyStore,
    private readonly connectors: ConnectorInstanceQueries,
    private readonly protectedAssets: ProtectedAssetsUseCase,
  ) {}

  @Get('users')
  @BrowserPage()
  @RequirePermission('users:read')
  @ApiDoc(pageDoc('users and their roles: create, change role, disable'))
  async userList(@Req() request: AuthenticatedRequest, @Res() response: Response): Promise<void> {
    const users = (await this.users.list()).map(userView);
    send(
      response,
      this.views.page(principalOf(request), { title: 'Users', current: '/admin/users' }, 'admin-users', {
        users: users.map((user) => ({
          id: user.id,
          username: user.username,
          displayName: user.displayName ?? '',
          authSource: user.authSource,
          disabled: user.disabled,
          lastLoginAt: shortTime(user.lastLoginAt),
          roles: USER_ROLES.map((role) => ({ value: role, selected: role === user.role })),
          role: user.role,
        })),
        roles: USER_ROLES,
      }),
    );
  }

  @Get('api-keys')
  @BrowserPage()
  @RequirePermission('api_keys:read')
  @ApiDoc(pageDoc('API keys: issue (the secret is shown once), revoke'))
  async keyList(@Req() request: AuthenticatedRequest, @Res() response: Response): Promise<void> {
    const now = new Date();
    const keys = (await this.keys.list()).map((key) => apiKeyView(key, now));
    send(
      response,
      this.views.page(
        principalOf(request),
        { title: 'API keys', current: '/admin/api-keys' },
        'admin-api-keys',
        {
          keys: keys.map((key) => ({
            id: key.id,
            name: key.name,
            prefix: key.prefix,
            role: key.role,
            state: key.state,
            active: key.state === 'active',
            createdAt: shortTime(key.createdAt),
            expiresAt: key.expiresAt ? shortTime(key.expiresAt) : 'never',
            lastUsedAt: key.lastUsedAt ? shortTime(key.lastUsedAt) : 'never',
          })),
          roles: ROLES,
        },
      ),
    );
  }

  @Get('connectors')
  @BrowserPage()
  @RequirePermission('connectors:read')
  @ApiDoc(pageDoc('connector instances (read-only) with a check of each'))
  async connectorList(@Req() request: AuthenticatedRequest, @Res() response: Response): Promise<void> {
    const connectors = await this.connectors.list();
    send(
      response,
      this.views.page(
        principalOf(request),
        { title: 'Connectors', current: '/admin/connectors' },
        'admin-connectors',
        {
          connectors: connectors.map((connector) => ({
            name: connector.name,
            type: connector.type,
            capability: connector.capability,
            baseUrl: connector.baseUrl,
            source: connector.source,
            credentialFields: connector.credentialFields.join(', '),
            updatedAt: shortTime(connector.updatedAt),
          })),
        },
      ),
    );
  }

  @Get('protected-assets')
  @BrowserPage()
  @RequirePermission('protected_assets:read')
  @ApiDoc(pageDoc('protected assets: containment never acts on them'))
  async assetList(@Req() request: AuthenticatedRequest, @Res() response: Response): Promise<void> {
    const assets = await this.protectedAssets.list();
    send(
      response,
      this.views.page(
        principalOf(request),
        { title: 'Protected assets', current: '/admin/protected-assets' },
        'admin-protected-assets',
        {
          assets: assets.map((asset) => ({
            id: asset.id,
            kind: asset.kind,
            value: asset.value,
            operations: asset.operations ? asset.operations.join(', ') : 'every guarded operation',
            reason: asset.reason ?? '',
            source: asset.source,
            removable: asset.source === 'api',
            createdBy: asset.createdBy,
            createdAt: shortTime(asset.createdAt),
          })),
          kinds: PROTECTED_ASSET_KINDS,
        },
      ),
    );
  }
}
