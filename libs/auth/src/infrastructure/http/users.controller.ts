import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import { z } from 'zod';

import { ApiDoc, ApiError, ZodValidationPipe } from '@rampart/web';

import { CreateUserUseCase } from '../../application/create-user.use-case';
import { DeleteUserUseCase } from '../../application/delete-user.use-case';
import { UpdateUserUseCase } from '../../application/update-user.use-case';
import { UserStore } from '../../application/user-store';
import { USER_ROLES } from '../../domain/principal';
import { USERNAME_PATTERN } from '../../domain/username';
import { answeringAuthErrors } from './auth-error.mapping';
import { RequirePermission } from './permission.decorator';
import { userView } from './views';

const userId = z.uuid('a user id (uuid)');
const displayName = z.string().trim().min(1).max(200).nullable();

export const createUserBody = z.strictObject({
  username: z
    .string()
    .trim()
    .toLowerCase()
    .regex(USERNAME_PATTERN, 'letters, digits and . _ @ + - (at most 128), starting with a letter or digit'),
  displayName: displayName.optional(),
  role: z.enum(USER_ROLES),
  authSource: z
    .enum(['local', 'oidc'])
    .default('local')
    .describe(
      'local: signs in with the password; oidc: through the identity provider (linked at first sign-in)',
    ),
  password: z.string().max(1024).optional().describe('required for a local user: at least 12 characters'),
});

export const updateUserBody = z
  .strictObject({
    displayName: displayName.optional(),
    role: z.enum(USER_ROLES).optional(),
    disabled: z.boolean().optional().describe('a disabled user cannot sign in; their sessions end'),
    password: z
      .string()
      .max(1024)
      .optional()
      .describe('a new password; the user’s sessions end and a lockout lifts'),
  })
  .refine((body) => Object.keys(body).length > 0, 'name at least one change');

/** User accounts of the console (admin; auditors read them). Passwords go in, never come out. */
@Controller('api/v1/users')
export class UsersController {
  constructor(
    private readonly users: UserStore,
    private readonly create: CreateUserUseCase,
    private readonly update: UpdateUserUseCase,
    private readonly remove: DeleteUserUseCase,
  ) {}

  @Get()
  @RequirePermission('users:read')
  @ApiDoc({ summary: 'List users', responses: { 200: '{items}' } })
  async list() {
    return { items: (await this.users.list()).map(userView) };
  }

  @Get(':id')
  @RequirePermission('users:read')
  @ApiDoc({ summary: 'A user', responses: { 200: 'the user' }, errors: [404] })
  async get(@Param('id', new ZodValidationPipe(userId, 'param')) id: string) {
    const user = await this.users.findById(id);
    if (!user)
      throw new ApiError(HttpStatus.NOT_FOUND, 'user_not_found', `no user ${id}`, { field: 'param.id' });
    return userView(user);
  }

  @Post()
  @RequirePermission('users:manage')
  @ApiDoc({
    summary: 'Create a user (not with role ingest: that is for API keys)',
    responses: { 201: 'the user' },
    errors: [409],
  })
  async add(@Body(new ZodValidationPipe(createUserBody)) body: z.output<typeof createUserBody>) {
    return userView(await answeringAuthErrors(() => this.create.execute(body)));
  }

  @Patch(':id')
  @RequirePermission('users:manage')
  @ApiDoc({
    summary: 'Change a user: display name, role, disabled, password; the last enabled admin stays one',
    responses: { 200: 'the user' },
    errors: [404, 409],
  })
  async change(
    @Param('id', new ZodValidationPipe(userId, 'param')) id: string,
    @Body(new ZodValidationPipe(updateUserBody)) body: z.output<typeof updateUserBody>,
  ) {
    return userView(await answeringAuthErrors(() => this.update.execute({ id, ...body })));
  }

  @Delete(':id')
  @RequirePermission('users:manage')
  @ApiDoc({
    summary: 'Delete a user and their sessions; not the last enabled admin',
    responses: { 204: 'deleted' },
    errors: [404, 409],
  })
  @HttpCode(HttpStatus.NO_CONTENT)
  async delete(@Param('id', new ZodValidationPipe(userId, 'param')) id: string): Promise<void> {
    await answeringAuthErrors(() => this.remove.execute(id));
  }
}
