import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import { z } from 'zod';

import { RequirePermission } from '@rampart/auth';
import { ApiDoc, ApiError, ZodValidationPipe } from '@rampart/web';

import { CheckConnectorUseCase } from '../../application/check-connector.use-case';
import { ConnectorInstanceQueries } from '../../application/connector-instance-queries';
import { CreateConnectorInstanceUseCase } from '../../application/create-connector-instance.use-case';
import { DeleteConnectorInstanceUseCase } from '../../application/delete-connector-instance.use-case';
import { UpdateConnectorInstanceUseCase } from '../../application/update-connector-instance.use-case';
import { CAPABILITIES } from '../../domain/capability';
import { CONNECTOR_NAME_PATTERN, CONNECTOR_TYPES } from '../../domain/connector-instance';
import { answeringConnectorInstanceErrors } from './connector-instance-error.mapping';

const connectorName = z.string().regex(CONNECTOR_NAME_PATTERN, 'letters, digits, . _ - (at most 63)');

// Values are write-only secrets: validated per type by the registry, never echoed in errors.
const credentials = z.record(z.string().min(1).max(64), z.string().max(4096));

const definition = {
  type: z.enum(CONNECTOR_TYPES),
  capability: z.enum(CAPABILITIES).optional(),
  baseUrl: z.string().min(1).max(2048),
  options: z.record(z.string(), z.unknown()).default({}),
};

export const createConnectorBody = z.strictObject({
  name: z.string().min(1).max(128),
  ...definition,
  credentials,
});
export const updateConnectorBody = z.strictObject({ ...definition, credentials: credentials.optional() });

export const deleteConnectorQuery = z.strictObject({
  force: z
    .enum(['true', 'false'], 'true or false')
    .optional()
    .transform((value) => value === 'true'),
});

/** Connector instances (admin). Credentials go in, never come out (`credentialFields` lists their names). */
@Controller('api/v1/connectors')
export class ConnectorInstancesController {
  constructor(
    private readonly queries: ConnectorInstanceQueries,
    private readonly create: CreateConnectorInstanceUseCase,
    private readonly update: UpdateConnectorInstanceUseCase,
    private readonly remove: DeleteConnectorInstanceUseCase,
    private readonly check: CheckConnectorUseCase,
  ) {}

  @Get()
  @RequirePermission('connectors:read')
  @ApiDoc({
    summary: 'List connector instances; credentials are never returned',
    responses: { 200: '{items}' },
  })
  async list() {
    return { items: await this.queries.list() };
  }

  @Get(':name')
  @RequirePermission('connectors:read')
  @ApiDoc({ summary: 'A connector instance', responses: { 200: 'the instance' }, errors: [404] })
  async get(@Param('name', new ZodValidationPipe(connectorName, 'param')) name: string) {
    const instance = await this.queries.get(name);
    if (!instance) {
      throw new ApiError(HttpStatus.NOT_FOUND, 'connector_not_found', `no connector named "${name}"`, {
        field: 'param.name',
      });
    }
    return instance;
  }

  @Post()
  @RequirePermission('connectors:manage')
  @ApiDoc({
    summary: 'Create a connector instance; credentials are sealed with SOAR_MASTER_KEY',
    responses: { 201: 'the instance, without credentials' },
    errors: [409],
  })
  async add(@Body(new ZodValidationPipe(createConnectorBody)) body: z.output<typeof createConnectorBody>) {
    return answeringConnectorInstanceErrors(() => this.create.execute(body));
  }

  @Put(':name')
  @RequirePermission('connectors:manage')
  @ApiDoc({
    summary: 'Update a connector instance; omitted credentials stay as they are',
    responses: { 200: 'the instance' },
    errors: [404, 409],
  })
  async replace(
    @Param('name', new ZodValidationPipe(connectorName, 'param')) name: string,
    @Body(new ZodValidationPipe(updateConnectorBody)) body: z.output<typeof updateConnectorBody>,
  ) {
    return answeringConnectorInstanceErrors(() => this.update.execute({ name, ...body }), { name: 'param' });
  }

  /** Read-only vendor calls proving the instance works; 200 whatever the result. */
  @Post(':name/check')
  @RequirePermission('connectors:manage')
  @ApiDoc({
    summary:
      'Check a connector instance with read-only vendor calls: ' +
      '{connector, type, status: ok | failed | not_checkable, checked?, error?: {code, message, retryable, vendorStatus?}, durationMs}',
    responses: { 200: 'the check result' },
    errors: [404],
  })
  @HttpCode(HttpStatus.OK)
  async checkConnection(@Param('name', new ZodValidationPipe(connectorName, 'param')) name: string) {
    return answeringConnectorInstanceErrors(() => this.check.execute(name), { name: 'param' });
  }

  @Delete(':name')
  @RequirePermission('connectors:manage')
  @ApiDoc({
    summary:
      'Delete a connector instance; refused while it has pending or expiring actions, ' +
      'and while permanent reversible actions are in force unless force=true',
    responses: { 204: 'deleted' },
    errors: [404, 409],
  })
  @HttpCode(HttpStatus.NO_CONTENT)
  async delete(
    @Param('name', new ZodValidationPipe(connectorName, 'param')) name: string,
    @Query(new ZodValidationPipe(deleteConnectorQuery, 'query')) query: z.output<typeof deleteConnectorQuery>,
  ) {
    await answeringConnectorInstanceErrors(() => this.remove.execute({ name, force: query.force }), {
      name: 'param',
    });
  }
}
