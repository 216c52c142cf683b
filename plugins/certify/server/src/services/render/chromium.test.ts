/**
 * The pool against a real Chromium killed (SIGKILL of its main process) at the worst moments: while
 * it is being launched and its first pages are being made. Every caller gets an answer (a page, or
 * an error its batch is retried on), and the pool renders again afterwards.
 */
import { ChromiumPool, type Slot } from './chromium';

jest.setTimeout(180_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Settles within `ms` (true) or not (false). */
const settlesWithin = (p: Promise<unknown>, ms: number) => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
  return Promise.race([p.then(() => true, () => true), late]).finally(() => clearTimeout(timer));
};

let pool: ChromiumPool;

beforeEach(() => {
  pool = new ChromiumPool({ pages: 2, relaunchAfter: 1000, waitLimitMs: 60_000, setupLimitMs: 5_000 });
});

afterEach(async () => {
  await pool.close();
});

async function renders() {
  const slot = await pool.acquire();
  await slot.page.setContent('<p>ok</p>');
  const pdf = await slot.page.pdf();
  await pool.release(slot, { certificates: 1 });
  return pdf.subarray(0, 5).toString();
}

it('answers every caller when Chromium is killed as soon as it is launched, and renders again', async () => {
  expect(await renders()).toBe('%PDF-');
  // The delays put the kill in newContext, newPage, the CDP session and the first render.
  for (const delay of [0, 0, 2, 5, 10, 20, 40, 80]) {
    const killed = pool.browserPid();
    await pool.kill();
    // Three callers at once, as the queue's three lanes: two pages, one waiter.
    const callers = [0, 1, 2].map(() => pool.acquire());
    let pid: number | null = null;
    for (let i = 0; i < 2000 && !pid; i++) {
      const p = pool.browserPid();
      if (p && p !== killed) pid = p;
      else await sleep(2);
    }
    expect(pid).not.toBeNull();
    if (delay) await sleep(delay);
    process.kill(pid!, 'SIGKILL');
    const answered = await Promise.all(callers.map((c) => settlesWithin(c, 20_000)));
    expect({ delay, answered }).toEqual({ delay, answered: [true, true, true] });
    for (const c of callers) {
      const slot = await c.catch(() => null);
      if (slot) await pool.release(slot as Slot, { broken: true });
    }
    expect(await renders()).toBe('%PDF-');
  }
});
