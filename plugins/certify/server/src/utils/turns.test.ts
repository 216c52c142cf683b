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
    const waits = Array.from({ length: 50 }, (_, i) => turn().then(() => events.push(`w${i}`)));
    setTimeout(() => events.push('timer'), 0);
    await Promise.all(waits);
    expect(events.indexOf('timer')).toBeGreaterThan(-1);
    expect(events.indexOf('timer')).toBeLessThan(events.length - 1);
  });
});
