/** Seeds the demo workspace's designed journeys (validated like any PUT through the API). */
import { DEMO_DESIGNED_JOURNEYS } from '../core/demo/designed-journeys.js';
import { designedJourneySchema } from '../core/journeys/designed.js';
import type { Engine } from '../store/engines/engine.js';
import { putDesignedJourney } from '../store/repositories/designed-journey-repository.js';

export async function seedDemoJourneys(engine: Engine, workspaceId: string): Promise<number> {
  for (const { id, definition } of DEMO_DESIGNED_JOURNEYS) {
    const parsed = designedJourneySchema.parse(definition);
    await putDesignedJourney(engine, workspaceId, id, parsed.name, JSON.stringify(parsed));
  }
  return DEMO_DESIGNED_JOURNEYS.length;
}
