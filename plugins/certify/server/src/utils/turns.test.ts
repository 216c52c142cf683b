import { createTurns } from './turns';

/** The turn (setImmediate round) in which each of `n` waiters was let through. */
const turnsOf = async (size: number, n: number) => {
  const turn = createTurns(size);
  let current = 0;
  let ticking = true;
  const tick = () => {
    current += 1;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  const order: number[] = [];
  const at: number[] = [];
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      turn().then(() => {
        order.push(i);
        at.push(current);
      })
    )
  );
  ticking = false;
  return { order, at };
};

describe('createTurns', () => {
  it('lets at most `size` waiters through per turn of the event loop, first come first served', async () => {
    const { order, at } = await turnsOf(3, 8);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // Three turns: 3 + 3 + 2, each group in a later turn than the one before.
    expect(at[0]).toBe(at[2]);
    expect(at[3]).toBe(at[5]);
    expect(at[6]).toBe(at[7]);
    expect(at[3]).toBeGreaterThan(at[2]);
    expect(at[6]).toBeGreaterThan(at[5]);
  });

  it('starts over in order once emptied', async () => {
    const turn = createTurns(2);
    const seen: number[] = [];
    await Promise.all([1, 2, 3].map((i) => turn().then(() => seen.push(i))));
    await Promise.all([4, 5, 6, 7, 8].map((i) => turn().then(() => seen.push(i))));
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('lets other I/O run between its turns (a timer set while many wait fires before the last)', async () => {
    const turn = createTurns(1);
    const events: string[] = [];
    // Each waiter works 0.2 ms, so the 50 turns take longer than the timer's 1 ms.
    const work = () => {
      const until = performance.now() + 0.2;
      while (performance.now() < until);
    };
    const waits = Array.from({ length: 50 }, (_, i) => turn().then(() => (work(), events.push(`w${i}`))));
    setTimeout(() => events.push('timer'), 0);
    await Promise.all(waits);
    expect(events.indexOf('timer')).toBeGreaterThan(-1);
    expect(events.indexOf('timer')).toBeLessThan(events.length - 1);
  });

  it('keeps memory bounded under steady load, when its queue never empties', async () => {
    const turn = createTurns(4);
    let passed = 0;
    let most = 0;
    // Six new requests each turn against four let through: the queue is never empty.
    await new Promise<void>((done) => {
      const more = (left: number) => {
        for (let i = 0; i < 6; i++) void turn().then(() => (passed += 1));
        most = Math.max(most, turn.held());
        if (left > 0) setImmediate(() => more(left - 1));
        else done();
      };
      more(2000);
    });
    // 12,006 asked, 8,000 let through while asking: only the waiting part and at most one
    // compaction's worth of passed entries are held (the old code held all 12,000).
    expect(passed).toBeGreaterThan(7000);
    expect(most).toBeLessThan(4000 + 1100);
  });
});
