import { ManualClock } from "blockstate/testing";
import * as counter from "../../examples/counter";
import * as chatClear from "../../examples/chat-clear";
import * as multiStepForm from "../../examples/multi-step-form";
import * as clickTracker from "../../examples/click-tracker";
import * as interfaceState from "../../examples/interface-state";
import * as userSession from "../../examples/user-session";
import * as internalCounter from "../../examples/internal-counter";
import * as editableHistory from "../../examples/editable-history";
import * as defaultValues from "../../examples/default-values";
import * as dynamicInit from "../../examples/dynamic-init";
import * as reset from "../../examples/reset";
import * as clearState from "../../examples/clear-state";
import * as sessionIsolation from "../../examples/session-isolation";
import * as refresh from "../../examples/refresh";
import * as memory from "../../examples/memory";
import * as conditionalUpdate from "../../examples/conditional-update";
import * as chainedSteps from "../../examples/chained-steps";
import { runScenario, withApp } from "./helpers";

describe("seed 004 counter (The State component)", () => {
  it("seed 004 counter: the scenario's checks all hold", async () => {
    expect((await runScenario(counter.scenario)).failures).toEqual([]);
  });

  it("seed 004 counter: each user counts separately", async () => {
    const { demo, state, output, button } = counter.create();
    await withApp(demo, async (app) => {
      const a = await app.connect();
      const b = await app.connect();
      await a.click(button);
      await a.click(button);
      await a.click(button);
      await b.click(button);
      expect([a.get(state), a.get(output)]).toEqual([3, "Count: 3"]);
      expect([b.get(state), b.get(output)]).toEqual([1, "Count: 1"]);
    });
  });
});

describe("seed 004 chat history with ClearButton", () => {
  it("seed 004 chat history: the scenario's checks all hold", async () => {
    expect((await runScenario(chatClear.scenario)).failures).toEqual([]);
  });

  it("seed 004 chat history: submit appends an exchange and empties the box; Clear resets only that user", async () => {
    const { demo, chatbot, msg, clear } = chatClear.create();
    await withApp(demo, async (app) => {
      const a = await app.connect();
      const b = await app.connect();
      await a.input(msg, "one");
      await a.submit(msg);
      await a.input(msg, "two");
      await a.submit(msg);
      await b.input(msg, "hey");
      await b.submit(msg);
      expect(a.get(msg)).toBe("");
      expect(a.get(chatbot).map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
      expect(a.get(chatbot).filter((m) => m.role === "user").map((m) => m.content)).toEqual(["one", "two"]);
      expect(chatClear.BOT_MESSAGES).toContain(a.get(chatbot)[1].content);
      await a.input(msg, "unsent");
      await a.click(clear);
      expect(a.get(chatbot)).toEqual([]);
      expect(a.get(msg)).toBe("");
      expect(b.get(chatbot)).toHaveLength(2);
      await a.input(msg, "again");
      await a.submit(msg);
      expect(a.get(chatbot)).toHaveLength(2);
    });
  });
});

describe("seed 004 multi-step form", () => {
  it("seed 004 multi-step form: the scenario's checks all hold", async () => {
    expect((await runScenario(multiStepForm.scenario)).failures).toEqual([]);
  });

  it("seed 004 multi-step form: data collects per session across the two steps", async () => {
    const { demo, state, output, nameInput, nameBtn, ageInput, ageBtn } = multiStepForm.create();
    await withApp(demo, async (app) => {
      const a = await app.connect();
      const b = await app.connect();
      await a.input(nameInput, "Ann");
      await a.click(nameBtn);
      expect(a.get(output)).toBe("Hello Ann! Now enter your age.");
      await b.input(ageInput, 41);
      await b.click(ageBtn);
      await a.input(ageInput, "29");
      await a.click(ageBtn);
      expect(a.get(state)).toEqual({ name: "Ann", age: 29 });
      expect(a.get(output)).toBe("Thanks! You are 29 years old.");
      expect(b.get(state)).toEqual({ age: 41 });
    });
  });
});

describe("seed 004 click tracker (Maintaining counters)", () => {
  it("seed 004 click tracker: the scenario's checks all hold", async () => {
    expect((await runScenario(clickTracker.scenario)).failures).toEqual([]);
  });

  it("seed 004 click tracker: count and history advance together, per session", async () => {
    const { demo, clickCount, clickHistory, output, button } = clickTracker.create();
    await withApp(demo, async (app) => {
      const a = await app.connect();
      const b = await app.connect();
      await a.click(button);
      await a.click(button);
      await b.click(button);
      expect(a.get(clickCount)).toBe(2);
      expect(a.get(clickHistory)).toEqual(["Click #1", "Click #2"]);
      expect(a.get(output)).toBe("Click #1\nClick #2");
      expect(b.get(clickHistory)).toEqual(["Click #1"]);
    });
  });
});

describe("seed 004 Interface with the \"state\" shortcut", () => {
  it("seed 004 interface state: the scenario's checks all hold", async () => {
    expect((await runScenario(interfaceState.scenario)).failures).toEqual([]);
  });

  it("seed 004 interface state: texts accumulate per session; one State is both input and output", async () => {
    const { demo, text, state, history, submit } = interfaceState.create();
    expect(demo.inputComponents).toContain(state);
    expect(demo.outputComponents).toContain(state);
    await withApp(demo, async (app) => {
      const a = await app.connect();
      const b = await app.connect();
      expect(a.get(state)).toBeNull();
      await a.input(text, "x");
      await a.click(submit);
      await a.input(text, "y");
      await a.submit(text);
      await b.input(text, "z");
      await b.click(submit);
      expect(a.get(history)).toBe("x\ny");
      expect(a.get(state)).toEqual(["x", "y"]);
      expect(b.get(history)).toBe("z");
      expect(await a.call("predict", "w")).toEqual(["x\ny\nw", ["x", "y", "w"]]);
    });
  });

  it("seed 004 / 001 interface state: more than one state input is refused", () => {
    expect(interfaceState.createWithTwoStates).toThrow("If using 'state', there must be exactly one state input and one state output.");
  });
});

describe("seed 004 complex state objects (UserSession)", () => {
  it("seed 004 user session: the scenario's checks all hold", async () => {
    expect((await runScenario(userSession.scenario)).failures).toEqual([]);
  });

  it("seed 004 user session: each session gets its own UserSession, keeping the prototype", async () => {
    const { demo, session, status, initBtn, msgInput, msgBtn } = userSession.create();
    await withApp(demo, async (app) => {
      const a = await app.connect();
      const b = await app.connect();
      expect(a.get(session)).toBeInstanceOf(userSession.UserSession);
      expect(a.get(session)).not.toBe(b.get(session));
      expect(a.get(session).messages).not.toBe(b.get(session).messages);
      await a.input(msgInput, "m1");
      await a.click(msgBtn);
      await a.input(msgInput, "m2");
      await a.click(msgBtn);
      expect(a.get(status)).toBe("Total messages: 2");
      expect(b.get(session).messages).toEqual([]);
      const before = a.get(session);
      await a.click(initBtn);
      expect(a.get(status)).toBe("Session initialized");
      expect(a.get(session)).not.toBe(before);
      expect(a.get(session)).toEqual(new userSession.UserSession());
    });
  });
});

describe("seed 004 State vs component values", () => {
  it("seed 004 internal counter: the scenario's checks all hold", async () => {
    expect((await runScenario(internalCounter.scenario)).failures).toEqual([]);
  });

  it("seed 004 internal counter: the invisible State and the visible Number move together per session", async () => {
    const { demo, counter: c, display, btn } = internalCounter.create();
    await withApp(demo, async (app) => {
      const a = await app.connect();
      const b = await app.connect();
      await a.click(btn);
      await a.click(btn);
      expect([a.get(c), a.get(display)]).toEqual([2, 2]);
      expect([b.get(c), b.get(display)]).toEqual([0, null]);
    });
  });

  it("seed 004 editable history: the scenario's checks all hold", async () => {
    expect((await runScenario(editableHistory.scenario)).failures).toEqual([]);
  });

  it("seed 004 editable history: the visible Textbox is the state, and user edits count", async () => {
    const { demo, history, newEntry, btn } = editableHistory.create();
    await withApp(demo, async (app) => {
      const a = await app.connect();
      await a.input(history, "start");
      await a.input(newEntry, "next");
      await a.click(btn);
      expect(a.get(history)).toBe("start\nnext");
      const b = await app.connect();
      expect(b.get(history)).toBe("");
    });
  });
});

describe("seed 004 initialising state", () => {
  it("seed 004 default values: the scenario's checks all hold", async () => {
    expect((await runScenario(defaultValues.scenario)).failures).toEqual([]);
  });

  it("seed 004 default values: each session starts from its own copy of each default", async () => {
    const { demo, counter: c, textState, listState, dictState, customState } = defaultValues.create();
    await withApp(demo, async (app) => {
      const a = await app.connect();
      const b = await app.connect();
      expect([a.get(c), a.get(textState), a.get(listState), a.get(dictState)]).toEqual([0, "", [], {}]);
      a.get(customState).score = 1;
      a.get(listState).push("x");
      expect(b.get(customState)).toEqual({ user: "Alice", score: 100 });
      expect(b.get(listState)).toEqual([]);
      const c2 = await app.connect();
      expect(c2.get(customState).score).toBe(100);
    });
  });

  it("seed 004 dynamic initialization: the scenario's checks all hold", async () => {
    expect((await runScenario(dynamicInit.scenario)).failures).toEqual([]);
  });

  it("seed 004 dynamic initialization: the load listener runs per session, before connect resolves", async () => {
    const times = [100, 200];
    const { demo, session, status } = dynamicInit.create({ now: () => times.shift()! });
    await withApp(demo, async (app) => {
      const a = await app.connect();
      const b = await app.connect();
      expect(a.get(session)).toEqual({ started_at: 100, actions: [] });
      expect(b.get(session)).toEqual({ started_at: 200, actions: [] });
      expect(a.get(status)).toBe("Session started");
    });
  });
});

describe("seed 004 clearing state", () => {
  it("seed 004 reset: the scenario's checks all hold", async () => {
    expect((await runScenario(reset.scenario)).failures).toEqual([]);
  });

  it("seed 004 reset: Reset returns the user's State and boxes to their initial values", async () => {
    const { demo, counter: c, messages, status, incrementBtn, resetBtn } = reset.create();
    await withApp(demo, async (app) => {
      const a = await app.connect();
      const b = await app.connect();
      await a.click(incrementBtn);
      await a.click(incrementBtn);
      await b.click(incrementBtn);
      expect(a.get(messages)).toBe("Count: 2");
      await a.click(resetBtn);
      expect([a.get(c), a.get(messages), a.get(status)]).toEqual([0, "", "State cleared"]);
      expect(b.get(c)).toBe(1);
    });
  });

  it("seed 004 ClearButton: the scenario's checks all hold", async () => {
    expect((await runScenario(clearState.scenario)).failures).toEqual([]);
  });

  it("seed 004 ClearButton: resets the State to a fresh copy of [] and the Textbox to empty, for that user only", async () => {
    const { demo, state, textbox, clearBtn, addBtn } = clearState.create();
    await withApp(demo, async (app) => {
      const a = await app.connect();
      const b = await app.connect();
      await a.input(textbox, "x");
      await a.click(addBtn);
      await b.input(textbox, "y");
      await b.click(addBtn);
      await a.click(clearBtn);
      expect(a.get(state)).toEqual([]);
      expect(a.get(textbox)).toBe("");
      expect(b.get(state)).toEqual(["y"]);
      await b.click(clearBtn);
      expect(a.get(state)).not.toBe(b.get(state));
    });
  });
});

describe("seed 004 State limitations", () => {
  it("seed 004 session isolation: the scenario's checks all hold", async () => {
    expect((await runScenario(sessionIsolation.scenario)).failures).toEqual([]);
  });

  it("seed 004 session isolation: user A's clicks do not move user B's counter", async () => {
    const { demo, counter: c, output, btn } = sessionIsolation.create();
    await withApp(demo, async (app) => {
      const a = await app.connect();
      const b = await app.connect();
      await a.click(btn);
      await a.click(btn);
      expect([a.get(c), a.get(output)]).toEqual([2, 2]);
      expect([b.get(c), b.get(output)]).toEqual([0, null]);
    });
  });

  it("seed 004 not persistent across refreshes: the scenario's checks all hold", async () => {
    expect((await runScenario(refresh.scenario)).failures).toEqual([]);
  });

  it("seed 004 not persistent across refreshes: a reload starts from 0", async () => {
    const { demo, counter: c, btn } = refresh.create();
    await withApp(demo, async (app) => {
      const a = await app.connect();
      for (let i = 0; i < 10; i++) await a.click(btn);
      expect(a.get(c)).toBe(10);
      const reloaded = await a.reload();
      expect(reloaded.sessionHash).not.toBe(a.sessionHash);
      expect(reloaded.get(c)).toBe(0);
      expect(a.closed).toBe(true);
    });
  });

  it("seed 004 memory considerations: the scenario's checks all hold", async () => {
    expect((await runScenario(memory.scenario)).failures).toEqual([]);
  });

  it("seed 004 memory considerations: only sessions that read the large State get a copy of it", async () => {
    const freed: number[][] = [];
    const { demo, largeData, items, countBtn } = memory.create({ size: 1000, onFree: (d) => freed.push(d) });
    const clock = new ManualClock();
    await withApp(
      demo,
      async (app) => {
        const readers = [await app.connect(), await app.connect()];
        const idle = [await app.connect(), await app.connect(), await app.connect()];
        for (const s of readers) await s.click(countBtn);
        expect(readers.map((s) => s.get(items))).toEqual([1000, 1000]);
        for (const s of [...readers, ...idle]) await s.close();
        await clock.advance(3661_000);
        expect(freed).toHaveLength(2);
        expect(freed[0]).not.toBe(freed[1]);
        expect(freed[0]).toHaveLength(1000);
        expect(app.sessionCount).toBe(0);
        // A session that does read it gets a full, independent copy.
        const late = await app.connect();
        late.get(largeData)[0] = 1;
        const other = await app.connect();
        expect(other.get(largeData)[0]).toBe(0);
      },
      { clock },
    );
  });
});

describe("seed 004 advanced patterns", () => {
  it("seed 004 conditional updates: the scenario's checks all hold", async () => {
    expect((await runScenario(conditionalUpdate.scenario)).failures).toEqual([]);
  });

  it("seed 004 conditional updates: only values above the user's threshold are added", async () => {
    const { demo, state, valueInput, threshold, status, btn } = conditionalUpdate.create();
    await withApp(demo, async (app) => {
      const a = await app.connect();
      const b = await app.connect();
      for (const v of [3, 12, 10, 11]) {
        await a.input(valueInput, v);
        await a.click(btn);
      }
      expect(a.get(state)).toEqual([12, 11]);
      expect(a.get(status)).toBe("Added 11 to state");
      await b.input(threshold, 0);
      await b.input(valueInput, 1);
      await b.click(btn);
      expect(b.get(state)).toEqual([1]);
      await a.input(valueInput, 1);
      await a.click(btn);
      expect(a.get(status)).toBe("Value 1 too low");
    });
  });

  it("seed 004 chained steps: the scenario's checks all hold", async () => {
    expect((await runScenario(chainedSteps.scenario)).failures).toEqual([]);
  });

  it("seed 004 chained steps: .then runs step 2 on the State step 1 wrote, per session", async () => {
    const { demo, state, inp, mid, out, btn } = chainedSteps.create();
    await withApp(demo, async (app) => {
      const a = await app.connect();
      const b = await app.connect();
      await a.input(inp, "abc");
      await b.input(inp, "xyz");
      await Promise.all([a.click(btn), b.click(btn)]);
      expect([a.get(mid), a.get(out)]).toEqual(["ABC", "ABC!!!"]);
      expect([b.get(mid), b.get(out)]).toEqual(["XYZ", "XYZ!!!"]);
      expect(a.get(state)).toEqual({ step1_result: "ABC", step2_result: "ABC!!!" });
    });
  });
});
