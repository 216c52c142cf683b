/**
 * Requests answered a few per turn of the event loop, first come first served.
 *
 * Node accepts one new connection per turn of its event loop (libuv 1.45+, libuv/libuv#3696).
 * When every turn answers every request that arrived in it, a busy server's turns grow to the
 * time of all those answers (~100 ms with 200 busy connections), and a visitor's new connection
 * waits in the kernel's accept queue one turn per connection ahead of it: bench:lookup measured
 * waits up to 10 s, then client timeouts, for the connections of a burst; a plain `node:http`
 * server does the same (bench/RESULTS.md, "Lookup: connections opened at once"). Answering at
 * most `size` requests a turn and the rest in the next turns keeps turns short, so new
 * connections are taken within milliseconds; the work done is the same, only its order changes.
 */
/** How many let-through entries the queue may keep before it drops them (it never empties under steady load). */
const COMPACT_AT = 1024;

export const createTurns = (size: number) => {
  let waiting: Array<(() => void) | undefined> = [];
  let head = 0;
  let scheduled = false;

  const drain = () => {
    scheduled = false;
    const end = Math.min(waiting.length, head + size);
    // Resolved now, their requests go on as microtasks right after this callback, in this turn.
    // Each entry is dropped as it is let through: it holds its request until then.
    for (; head < end; head++) {
      const resolve = waiting[head]!;
      waiting[head] = undefined;
      resolve();
    }
    if (head < waiting.length) {
      if (head >= COMPACT_AT) {
        waiting = waiting.slice(head);
        head = 0;
      }
      scheduled = true;
      setImmediate(drain);
    } else {
      waiting = [];
      head = 0;
    }
  };

  /** Resolves in the first turn with room, after everything that asked before. */
  const turn = (): Promise<void> =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (!scheduled) {
        scheduled = true;
        setImmediate(drain);
      }
    });
  /** Entries the queue holds, let through or not yet (for tests: bounded under steady load). */
  turn.held = () => waiting.length;
  return turn;
};
