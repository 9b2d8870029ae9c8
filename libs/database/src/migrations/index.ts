import { InitialIntakeSchema1764144000000 } from './1764144000000-initial-intake-schema';

/** Every migration, in order. New migrations are appended here. */
export const MIGRATIONS = [InitialIntakeSchema1764144000000];
