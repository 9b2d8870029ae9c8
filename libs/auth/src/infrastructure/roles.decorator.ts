import { SetMetadata } from '@nestjs/common';

import type { Role } from '../domain/principal';

export const ROLES_KEY = 'rampart:roles';
export const PUBLIC_KEY = 'rampart:public';

/** Roles allowed on a route besides admin. A route without @Roles is admin-only. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** A route anyone may call without a key (health probes). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
