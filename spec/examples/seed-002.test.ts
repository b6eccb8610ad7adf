import * as gr from "blockstate";
import { ManualClock } from "blockstate/testing";
import * as visitorCounter from "../../examples/visitor-counter";
import * as cart from "../../examples/cart";
import * as nonCopyable from "../../examples/non-copyable";
import { runScenario, withApp } from "./helpers";

describe("seed 002 visitor counter (global state)", () => {
  it("seed 002 visitor counter: the scenario's checks all hold", async () => {
    const t = await runScenario(visitorCounter.scenario);
    expect(t.failures).toEqual([]);
  });

  it("seed 002 visitor counter: every page load increments one shared count", async () => {
    const { demo, number, visitorCount } = visitorCounter.create();
    await withApp(demo, async (app) => {
      const a = await app.connect();
      const b = await app.connect();
      expect([a.get(number), b.get(number)]).toEqual(["1", "2"]);
      const a2 = await a.reload();
      expect(a2.get(number)).toBe("3");
      expect(b.get(number)).toBe("2");
      expect(visitorCount()).toBe(3);
    });
  });
});

describe("seed 002 cart (gr.State + .change)", () => {
  it("seed 002 cart: the scenario's checks all hold", async () => {
    const t = await runScenario(cart.scenario);
    expect(t.failures).toEqual([]);
  });

  it("seed 002 cart: each user's cart is isolated and Cart Size follows .change", async () => {
    const { demo, cart: cartState, itemsToAdd, addItemsButton, cartSize, sizeUpdates } = cart.create();
    await withApp(demo, async (app) => {
      const a = await app.connect();
      const b = await app.connect();
      await a.input(itemsToAdd, ["Milk", "Water"]);
      await a.click(addItemsButton);
      await b.input(itemsToAdd, ["Cereal"]);
      await b.click(addItemsButton);
      await b.click(addItemsButton);
      expect(a.get(cartState)).toEqual(["Milk", "Water"]);
      expect(b.get(cartState)).toEqual(["Cereal", "Cereal"]);
      expect([a.get(cartSize), b.get(cartSize)]).toEqual([2, 2]);
      expect(sizeUpdates()).toBe(3);
      await a.input(itemsToAdd, []);
      await a.click(addItemsButton);
      expect(sizeUpdates()).toBe(3); // an equal cart is no change (S52)
      await a.input(itemsToAdd, ["Orange Juice"]);
      await a.click(addItemsButton);
      expect(a.get(cartSize)).toBe(3);
      expect(sizeUpdates()).toBe(4);
    });
  });

  it("seed 002 cart: a closed session's cart is kept for 60 minutes, then dropped", async () => {
    const { demo, cart: cartState, itemsToAdd, addItemsButton } = cart.create();
    const clock = new ManualClock();
    await withApp(
      demo,
      async (app) => {
        const a = await app.connect();
        await a.input(itemsToAdd, ["Milk"]);
        await a.click(addItemsButton);
        await a.close();
        await clock.advance(59 * 60_000);
        const back = await app.connect({ sessionHash: a.sessionHash });
        expect(back.get(cartState)).toEqual(["Milk"]);
        await back.close();
        await clock.advance(62 * 60_000);
        expect(app.session(a.sessionHash)).toBeUndefined();
        const later = await app.connect({ sessionHash: a.sessionHash });
        expect(later.get(cartState)).toEqual([]);
      },
      { clock },
    );
  });
});

describe("seed 002 objects that cannot be deep-copied (session hash pattern)", () => {
  it("seed 002 non-copyable: the scenario's checks all hold", async () => {
    const t = await runScenario(nonCopyable.scenario);
    expect(t.failures).toEqual([]);
  });

  it("seed 002 non-copyable: gr.State refuses the object with a TypeError naming the path", () => {
    expect(nonCopyable.createWithState).toThrow(TypeError);
    expect(nonCopyable.createWithState).toThrow(/default\.lock\.tail/);
  });

  it("seed 002 non-copyable: one instance per session hash, created on load, deleted on close", async () => {
    const { demo, output, counter, incrementBtn, instances } = nonCopyable.create();
    await withApp(demo, async (app) => {
      const a = await app.connect();
      const b = await app.connect();
      expect(a.get(output)).toBe("Session initialized!");
      expect([...instances.keys()].sort()).toEqual([a.sessionHash, b.sessionHash].sort());
      await a.click(incrementBtn);
      await a.click(incrementBtn);
      await b.click(incrementBtn);
      expect([a.get(counter), b.get(counter)]).toEqual([2, 1]);
      expect(instances.get(a.sessionHash)).toBeInstanceOf(nonCopyable.NonDeepCopyable);
      await b.close();
      expect(instances.has(b.sessionHash)).toBe(false);
      expect(instances.size).toBe(1);
    });
    expect(instances.size).toBe(0); // app.close() closed alice's session too
  });

  it("seed 002 non-copyable: the lock serialises concurrent increments", async () => {
    const instance = new nonCopyable.NonDeepCopyable();
    const results = await Promise.all([instance.increment(), instance.increment(), instance.increment()]);
    expect(results).toEqual([1, 2, 3]);
  });

  it("seed 002 non-copyable: a session without an instance gets an error, not a number", async () => {
    const { demo, counter, incrementBtn, instances } = nonCopyable.create();
    await withApp(demo, async (app) => {
      const a = await app.connect();
      instances.clear();
      const result = await a.click(incrementBtn);
      expect(result.status).toBe("error");
      expect(result.error?.message).toMatch(/Counter Value.*Session not initialized/);
      expect(a.get(counter)).toBeNull();
      expect(a.messages.some((m) => m.type === "error")).toBe(true);
    });
  });

  it("gr.State accepts the same object through a factory (S4)", async () => {
    let state!: gr.State<nonCopyable.NonDeepCopyable>;
    const demo = new gr.Blocks(() => {
      state = new gr.State(() => new nonCopyable.NonDeepCopyable());
    });
    await withApp(demo, async (app) => {
      const a = await app.connect();
      const b = await app.connect();
      expect(await a.get(state).increment()).toBe(1);
      expect(b.get(state).counter).toBe(0);
    });
  });
});
