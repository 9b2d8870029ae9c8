import { SetMetadata } from '@nestjs/common';

import type { Permission } from '../../domain/permissions';

export const PERMISSION_KEY = 'rampart:permission';
export const PUBLIC_KEY = 'rampart:public';

/**
 * The permission a route needs (see PERMISSION_MATRIX). A route that names none is refused to
 * everyone but admin, and the route x role test fails on it.
 */
export const RequirePermission = (permission: Permission) => SetMetadata(PERMISSION_KEY, permission);

/** A route anyone may call without a key (health probes, the API description). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
