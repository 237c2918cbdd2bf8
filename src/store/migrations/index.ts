import type { Migration } from './migration.js';
import { initial } from './001-initial.js';

/** Every migration, in order. Append only: an applied migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [initial];
