import type { EngineKind } from '../engines/engine.js';

/** A versioned schema change. Statements are portable SQL; the engine kind is given for the rare exception. */
export interface Migration {
  version: number;
  name: string;
  statements: (kind: EngineKind) => string[];
}
