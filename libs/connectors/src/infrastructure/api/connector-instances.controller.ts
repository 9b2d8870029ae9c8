import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import { z } from 'zod';

import { ApiError, ZodValidationPipe } from '@rampart/web';

import { CheckConnectorUseCase } from '../../application/check-connector.use-case';
import { ConnectorInstanceQueries } from '../../application/connector-instance-queries';
import { CreateConnectorInstanceUseCase } from '../../application/create-connector-instance.use-case';
import { DeleteConnectorInstanceUseCase } from '../../application/delete-connector-instance.use-case';
import { UpdateConnectorInstanceUseCase } from '../../application/update-connector-instance.use-case';
import { CAPABILITIES } from '../../domain/capability';
import { CONNECTOR_NAME_PATTERN, CONNECTOR_TYPES } from '../../domain/connector-instance';
import { answeringContainmentErrors } from './containment-error.mapping';

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

/** Admin-only: connector instances. Credentials go in, never come out (`credentialFields` lists their names). */
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
  async list() {
    return { items: await this.queries.list() };
  }

  @Get(':name')
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
  async add(@Body(new ZodValidationPipe(createConnectorBody)) body: z.output<typeof createConnectorBody>) {
    return answeringContainmentErrors(() => this.create.execute(body));
  }

  @Put(':name')
  async replace(
    @Param('name', new ZodValidationPipe(connectorName, 'param')) name: string,
    @Body(new ZodValidationPipe(updateConnectorBody)) body: z.output<typeof updateConnectorBody>,
  ) {
    return answeringContainmentErrors(() => this.update.execute({ name, ...body }), { name: 'param' });
  }

  /** Read-only vendor calls proving the instance works; 200 whatever the result. */
  @Post(':name/check')
  @HttpCode(HttpStatus.OK)
  async checkConnection(@Param('name', new ZodValidationPipe(connectorName, 'param')) name: string) {
    return answeringContainmentErrors(() => this.check.execute(name), { name: 'param' });
  }

  @Delete(':name')
  @HttpCode(HttpStatus.NO_CONTENT)
  async delete(
    @Param('name', new ZodValidationPipe(connectorName, 'param')) name: string,
    @Query(new ZodValidationPipe(deleteConnectorQuery, 'query')) query: z.output<typeof deleteConnectorQuery>,
  ) {
    await answeringContainmentErrors(() => this.remove.execute({ name, force: query.force }), {
      name: 'param',
    });
  }
}
