/**
 * Where a profile ended up after a series of merges, given each absorbed profile's `from → into`. Merges form
 * chains, never cycles (an absorbed profile absorbs no other); the guard only bounds a corrupt input.
 */
export function survivorOf(profileId: number, mergedInto: ReadonlyMap<number, number>): number {
  let current = profileId;
  for (let next = mergedInto.get(current), guard = 0; next !== undefined && guard < 10_000; next = mergedInto.get(current), guard++) current = next;
  return current;
}
