import { v7 as uuidv7 } from 'uuid';

/** Time-ordered UUIDv7: ids made anywhere never collide and sort roughly by creation. */
export function newId(): string {
  return uuidv7();
}
