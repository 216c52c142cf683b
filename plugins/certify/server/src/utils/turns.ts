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
export const createTurns = (size: number) => {
  let waiting: Array<() => void> = [];
  let head = 0;
  let scheduled = false;

  const drain = () => {
    scheduled = false;
    const end = Math.min(waiting.length, head + size);
    // Resolved now, their requests go on as microtasks right after this callback, in this turn.
    for (; head < end; head++) waiting[head]();
    if (head < waiting.length) {
      scheduled = true;
      setImmediate(drain);
    } else {
      waiting = [];
      head = 0;
    }
  };

  /** Resolves in the first turn with room, after everything that asked before. */
  return (): Promise<void> =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (!scheduled) {
        scheduled = true;
        setImmediate(drain);
      }
    });
};
