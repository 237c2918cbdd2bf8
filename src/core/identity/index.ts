/**
 * Identity resolution: normalise raw identifiers into keys, resolve batches of keyed records into profiles
 * (Segment Unify semantics), and plan unmerges. Pure: callers own loading and persisting identity state.
 */
export {
  DEFAULT_BLOCKED_PATTERNS,
  DEFAULT_BLOCKED_VALUES,
  DEFAULT_IDENTITY_CONFIG,
  DEFAULT_LIMITS,
  DEFAULT_PRIORITY,
  describeBucket,
  identityConfigSchema,
  limitBucket,
} from './config.js';
export type { BlockedIdentifiers, IdentityConfig, IdentityConfigInput } from './config.js';
export {
  DEFAULT_SOURCE,
  MAX_IDENTIFIER_LENGTH,
  isBlocked,
  normaliseAnonymousId,
  normaliseCustomerId,
  normaliseEmail,
  normaliseIdentifiers,
} from './normalise.js';
export type {
  IdentifierRejection,
  IdentityKey,
  NormaliseResult,
  NormalisedIdentifiers,
  RawIdentifiers,
} from './normalise.js';
export { resolveIdentities } from './resolve.js';
export type {
  DroppedIdentifier,
  KnownIdentity,
  NewIdentity,
  ProfileAssignment,
  ProfileMerge,
  ResolveInput,
  ResolveOutput,
} from './resolve.js';
export { exclusionKey, liveExclusions, planUnmerge, rootOf } from './unmerge.js';
export type { MergeForest, StoredIdentity, UnmergeInput, UnmergePlan } from './unmerge.js';
