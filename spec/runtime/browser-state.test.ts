import * as gr from "blockstate";
import { create as createSeedExample } from "../../examples/browser-state";
import { appIdentifier } from "../../src/runtime/browser-states";
import { BrowserStateCipher, defaultSecret, defaultStorageKey } from "../../src/storage";

type Json = unknown;

/**
 * A small app around one BrowserState: `set` writes whatever `next.value` holds (so a test can
 * store any value, including ones a component would reject), `show` mirrors it into a Textbox
 * through a `.change` listener, counting its runs.
 */
function build(options: { title?: string; defaultValue?: Json; bs?: gr.BrowserStateOptions } = {}) {
  const next: { value: unknown } = { value: null };
  const changes: unknown[] = [];
  let bs!: gr.BrowserState;
  let set!: gr.Button;
  let shown!: gr.Textbox;
  const demo = new gr.Blocks({ title: options.title ?? "prefs" }, () => {
    bs = new gr.BrowserState("defaultValue" in options ? options.defaultValue : "default", options.bs);
    set = new gr.Button("Set");
    shown = new gr.Textbox({ label: "Shown" });
    set.click(() => next.value, undefined, bs);
    bs.change((v: unknown) => {
      changes.push(v);
      try {
        return JSON.stringify(v) ?? "not JSON";
      } catch {
        return "not JSON"; // a cycle
      }
    }, bs, shown);
  });
  /** Sets the BrowserState to `value` in `session` and waits for the write (idle flushes). */
  const store = async (session: gr.Session, value: unknown) => {
    next.value = value;
    const result = await session.click(set);
    expect(result.status).toBe("complete");
    await session.idle();
  };
  return { demo, bs, set, shown, next, changes, store };
}

/** The storage key the app uses for its only BrowserState. */
function keyOf(app: gr.App, bs: gr.BrowserState): string {
  return app._browserStates.storageKeyOf(bs);
}

const alerts = (session: gr.Session, type: string) =>
  session.messages.filter((m) => m.type === type).map((m) => (m as gr.AlertMessage).message);

describe("the seed 002 BrowserState example", () => {
  it("keeps a user's values across a reload; another browser sees the defaults", async () => {
    const { demo, username, password, savedMessage } = createSeedExample({ now: () => new Date(2024, 0, 1, 9, 5, 3) });
    const app = demo.launch();
    const browser = new gr.MemoryStorage();
    const alice = await app.connect({ storage: browser });
    await alice.input(username, "alice");
    await alice.input(password, "pw");
    expect(alice.get(savedMessage)).toBe("✅ Saved to local storage at 09:05:03 AM");
    expect(alice.props(savedMessage).visible).toBe(true);

    const reloaded = await alice.reload();
    expect([reloaded.get(username), reloaded.get(password)]).toEqual(["alice", "pw"]);
    // What is stored is sealed: the values do not appear in it.
    const entry = browser.getItem(browser.key(0)!)!;
    expect(entry).toMatch(/^bsv3[A-Za-z0-9_-]{38,}$/);
    expect(entry).not.toContain("alice");

    const bob = await app.connect({ storage: new gr.MemoryStorage() });
    expect([bob.get(username), bob.get(password)]).toEqual(["", ""]);
    expect(bob.props(savedMessage).visible).toBe(false);
    await app.close();
  });

  it("generates reproducible values with a seeded random source and saves them", async () => {
    const seeded = () => {
      let x = 0;
      return () => (x = (x * 7 + 3) % 11) / 11;
    };
    const first = createSeedExample({ random: seeded() });
    const second = createSeedExample({ random: seeded() });
    const a = await first.demo.launch().connect();
    const b = await second.demo.launch().connect();
    await a.click(first.generate);
    await b.click(second.generate);
    expect(a.get(first.username)).toMatch(/^[A-Za-z0-9]{10}$/);
    expect([a.get(first.username), a.get(first.password)]).toEqual([b.get(second.username), b.get(second.password)]);
    expect(a.get(first.localStorage)).toEqual([a.get(first.username), a.get(first.password)]);
  });
});

describe("BrowserState persistence (S90-S95)", () => {
  it("reads a missing entry as the default, without a warning", async () => {
    const { demo, bs, changes } = build();
    const session = await demo.launch().connect({ storage: new gr.MemoryStorage() });
    expect(session.get(bs)).toBe("default");
    expect(session.messages).toEqual([]);
    expect(changes).toEqual([]);
  });

  it("gives a session without a storage a fresh in-memory one (S90)", async () => {
    const { demo, bs, store } = build();
    const app = demo.launch();
    const first = await app.connect();
    await store(first, "mine");
    const second = await app.connect();
    expect(second.storage).not.toBe(first.storage);
    expect(second.get(bs)).toBe("default");
    expect((await first.reload()).get(bs)).toBe("mine");
  });

  describe("unreadable entries read as the default with a warning (S91)", () => {
    const cases: [string, (key: string, storage: gr.MemoryStorage, app: gr.App) => Promise<void>, RegExp][] = [
      ["garbage", async (key, storage) => storage.setItem(key, "garbage"), /not in blockstate's format/],
      [
        "a tampered entry",
        async (key, storage) => {
          const text = storage.getItem(key)!;
          const i = text.length - 5;
          storage.setItem(key, text.slice(0, i) + (text[i] === "A" ? "B" : "A") + text.slice(i + 1));
        },
        /another secret or under another storage key, or was tampered with/,
      ],
      [
        "a truncated entry",
        async (key, storage) => storage.setItem(key, storage.getItem(key)!.slice(0, 30)),
        /not in blockstate's format/,
      ],
      [
        "an entry written with another secret",
        async (key, storage) => storage.setItem(key, await new BrowserStateCipher("someone else", { kdf: "hkdf" }).encrypt("theirs")),
        /another secret or under another storage key, or was tampered with/,
      ],
      [
        "an authentic entry that is not JSON",
        async (key, storage, app) => {
          const cipher = new BrowserStateCipher(defaultSecret(app._browserStates.appId, 0), { kdf: "hkdf" });
          storage.setItem(key, await cipher.encryptJson("{nope", key));
        },
        /does not hold JSON/,
      ],
      [
        "an entry of the older format bsv2 (not bound to its key)",
        async (key, storage, app) => {
          const cipher = new BrowserStateCipher(defaultSecret(app._browserStates.appId, 0), { kdf: "hkdf" });
          // bsv2 was the bsv3 layout without additional data: what a bsv3 entry for the key "" is.
          storage.setItem(key, (await cipher.encrypt("saved")).replace(/^bsv3/, "bsv2"));
        },
        /written in format bsv2, which this version of blockstate cannot read/,
      ],
      [
        "an authentic entry nested deeper than values may be (anyone can write one: S93)",
        async (key, storage, app) => {
          const cipher = new BrowserStateCipher(defaultSecret(app._browserStates.appId, 0), { kdf: "hkdf" });
          storage.setItem(key, await cipher.encryptJson("[".repeat(5000) + "]".repeat(5000), key));
        },
        /\(The value is too deep: it nests more than 1000 levels[^)]*\)\), so it starts from its default/,
      ],
    ];
    it.each(cases)("%s", async (_name, corrupt, reason) => {
      const { demo, bs, store, changes } = build();
      const app = demo.launch();
      const storage = new gr.MemoryStorage();
      await store(await app.connect({ storage }), "saved");
      await corrupt(keyOf(app, bs), storage, app);
      changes.length = 0;

      const session = await app.connect({ storage });
      expect(session.get(bs)).toBe("default");
      expect(changes).toEqual([]);
      const warnings = alerts(session, "warning");
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(new RegExp(`^BrowserState #${bs.id} could not be read`));
      expect(warnings[0]).toMatch(reason);
      expect(warnings[0]).toContain(keyOf(app, bs));
    });

    it("a storage whose getItem throws", async () => {
      const { demo, bs } = build();
      const storage = new gr.MemoryStorage();
      storage.getItem = () => {
        throw new DOMException("The operation is insecure.", "SecurityError");
      };
      const session = await demo.launch().connect({ storage });
      expect(session.get(bs)).toBe("default");
      expect(alerts(session, "warning")).toEqual([expect.stringMatching(/getItem threw SecurityError: The operation is insecure/)]);
    });

    it("still runs the load listeners and keeps the other BrowserStates", async () => {
      let a!: gr.BrowserState, b!: gr.BrowserState, out!: gr.Textbox, set!: gr.Button;
      const demo = new gr.Blocks((demo) => {
        a = new gr.BrowserState(1);
        b = new gr.BrowserState(2);
        out = new gr.Textbox();
        set = new gr.Button();
        set.click(() => [10, 20], undefined, [a, b]);
        demo.load((x: number, y: number) => `${x} ${y}`, [a, b], out);
      });
      const app = demo.launch();
      const storage = new gr.MemoryStorage();
      const first = await app.connect({ storage });
      await first.click(set);
      await first.close();
      storage.setItem(keyOf(app, a), "garbage");
      const session = await app.connect({ storage });
      expect(session.get(out)).toBe("1 20");
      expect(alerts(session, "warning")).toEqual([expect.stringContaining(`BrowserState #${a.id}`)]);
    });

    it("an entry copied to another BrowserState's key with the same secret (entries are bound to their key)", async () => {
      let name!: gr.BrowserState<string>, role!: gr.BrowserState<string>, input!: gr.Textbox;
      const demo = new gr.Blocks(() => {
        name = new gr.BrowserState("guest", { storageKey: "name", secret: "one shared secret" });
        role = new gr.BrowserState("user", { storageKey: "role", secret: "one shared secret" });
        input = new gr.Textbox();
        input.input((v: string) => v, input, name);
      });
      const app = demo.launch();
      const storage = new gr.MemoryStorage();
      const first = await app.connect({ storage });
      await first.input(input, "admin");
      await first.close();
      storage.setItem("role", storage.getItem("name")!);

      const session = await app.connect({ storage });
      expect(session.get(name)).toBe("admin");
      expect(session.get(role)).toBe("user");
      expect(alerts(session, "warning")).toEqual([
        expect.stringMatching(new RegExp(`^BrowserState #${role.id} could not be read .*under another storage key.*Storage key: "role"`)),
      ]);
    });
  });

  describe("writes (S92)", () => {
    it.each<[string, Json]>([
      ["an empty string", ""],
      ["zero", 0],
      ["false", false],
      ["an empty object", {}],
      ["an empty array", []],
      ["a nested value", { a: [1, "é 🌍", null, { b: true }] }],
    ])("stores %s, which a reload reads back", async (_name, value) => {
      const { demo, bs, store } = build();
      const app = demo.launch();
      const storage = new gr.MemoryStorage();
      const session = await app.connect({ storage });
      await store(session, value);
      expect(storage.getItem(keyOf(app, bs))).not.toBeNull();
      expect((await session.reload()).get(bs)).toEqual(value);
    });

    it("removes the entry for null, so the next load gives the default", async () => {
      const { demo, bs, store } = build();
      const app = demo.launch();
      const storage = new gr.MemoryStorage();
      const session = await app.connect({ storage });
      await store(session, "something");
      expect(storage.length).toBe(1);
      await store(session, null);
      expect(storage.getItem(keyOf(app, bs))).toBeNull();
      expect(storage.length).toBe(0);
      const reloaded = await session.reload();
      expect(reloaded.get(bs)).toBe("default");
      expect(reloaded.messages).toEqual([]);
    });

    it("does not write a value equal to the stored one (S52)", async () => {
      const { demo, store } = build();
      const app = demo.launch();
      const storage = new gr.MemoryStorage();
      const session = await app.connect({ storage });
      await store(session, { a: 1 });
      const setItem = jest.spyOn(storage, "setItem");
      await store(session, { a: 1 });
      expect(setItem).not.toHaveBeenCalled();
      await store(session, { a: 2 });
      expect(setItem).toHaveBeenCalledTimes(1);
    });

    it("applies rapid changes in order: the newest value wins", async () => {
      const { demo, bs, next, set } = build();
      const app = demo.launch();
      const storage = new gr.MemoryStorage();
      const session = await app.connect({ storage });
      const setItem = jest.spyOn(storage, "setItem");
      const removeItem = jest.spyOn(storage, "removeItem");
      const clicks: Promise<unknown>[] = [];
      for (const value of ["a", "b", null, "c", "d", null]) {
        next.value = value;
        clicks.push(session.click(set));
      }
      await Promise.all(clicks);
      await session.idle();
      expect(storage.getItem(keyOf(app, bs))).toBeNull();
      // Superseded values are skipped, never written after a newer one.
      expect(setItem.mock.calls.length + removeItem.mock.calls.length).toBeLessThan(6);
      next.value = "final";
      await session.click(set);
      await session.idle();
      expect((await session.reload()).get(bs)).toBe("final");
    });

    it("stores the value as it was when it changed, not a later in-place mutation (S5)", async () => {
      let bs!: gr.BrowserState<string[]>, add!: gr.Button, sneak!: gr.Button;
      const demo = new gr.Blocks(() => {
        bs = new gr.BrowserState<string[]>([]);
        add = new gr.Button("Add");
        sneak = new gr.Button("Sneak");
        add.click((list: string[]) => [...list, "x"], bs, bs);
        // Mutates the stored list in place without listing it as an output: not a write (S53).
        sneak.click((list: string[]) => void list.push("unsaved"), bs);
      });
      const app = demo.launch();
      const storage = new gr.MemoryStorage();
      const session = await app.connect({ storage });
      const pending = session.click(add);
      void session.click(sneak);
      await pending;
      await session.idle();
      expect(session.get(bs)).toEqual(["x", "unsaved"]);
      expect((await session.reload()).get(bs)).toEqual(["x"]);
    });

    it("close() resolves after the session's writes reached the storage", async () => {
      const { demo, bs, next, set } = build();
      const app = demo.launch();
      const storage = new gr.MemoryStorage();
      const session = await app.connect({ storage });
      next.value = "written";
      await session.click(set);
      await session.close();
      const text = storage.getItem(keyOf(app, bs));
      expect(text).not.toBeNull();
      const cipher = new BrowserStateCipher(defaultSecret(app._browserStates.appId, 0), { kdf: "hkdf" });
      await expect(cipher.decrypt(text!, keyOf(app, bs))).resolves.toEqual({ ok: true, value: "written" });
    });

    it("refuses a value that is not JSON with a clear error: value kept, nothing stored", async () => {
      const { demo, bs, store } = build();
      const app = demo.launch();
      const storage = new gr.MemoryStorage();
      const session = await app.connect({ storage });
      await store(session, "good");
      const before = storage.getItem(keyOf(app, bs));

      const withFunction = { name: "x", handler: () => 1 };
      await store(session, withFunction);
      expect(session.get(bs)).toBe(withFunction);
      expect(storage.getItem(keyOf(app, bs))).toBe(before);
      const cycle: Record<string, unknown> = { name: "loop" };
      cycle.self = cycle;
      await store(session, cycle);
      expect(session.get(bs)).toBe(cycle);
      expect(storage.getItem(keyOf(app, bs))).toBe(before);

      const errors = alerts(session, "error");
      expect(errors).toHaveLength(2);
      expect(errors[0]).toMatch(new RegExp(`^BrowserState #${bs.id} was not saved to browser storage: .*not JSON-serialisable: key "handler" is a function`));
      expect(errors[1]).toMatch(/not JSON-serialisable: .*circular/i);
      expect((await session.reload()).get(bs)).toBe("good");
    });

    it("refuses a value whose second reading throws the same way: the run's other outputs and .change are written (#11)", async () => {
      // JSON.stringify reads the toJSON result's keys and values; the check for what it lost reads
      // the result again (its prototype too), and that trap throws a non-Error.
      const hostile = { toJSON: () => new Proxy({ a: 1 }, { getPrototypeOf: () => { throw null; } }) };
      let btn!: gr.Button, bs!: gr.BrowserState<unknown>, tb!: gr.Textbox;
      const changes: string[] = [];
      const demo = new gr.Blocks(() => {
        btn = new gr.Button();
        bs = new gr.BrowserState<unknown>("start");
        tb = new gr.Textbox({ value: "before" });
        bs.change(() => void changes.push("bs"));
        btn.click(() => [hostile, "after"], undefined, [bs, tb]);
      });
      const session = await demo.launch().connect();
      await expect(session.click(btn)).resolves.toEqual({ status: "complete" });
      expect([session.get(bs), session.get(tb), changes]).toEqual([hostile, "after", ["bs"]]);
      expect(alerts(session, "error")).toEqual([expect.stringMatching(/was not saved to browser storage: .*not JSON-serialisable: reading it threw: null\. The value is kept/)]);
    });
  });

  describe("app restarts and other apps (S93)", () => {
    it("reads the values of an earlier launch of the same app", async () => {
      const storage = new gr.MemoryStorage();
      const first = build();
      const app = first.demo.launch();
      await first.store(await app.connect({ storage }), { theme: "dark" });
      await app.close();

      const again = build(); // a freshly built Blocks, as after a process restart
      const restarted = again.demo.launch();
      const session = await restarted.connect({ storage });
      expect(session.get(again.bs)).toEqual({ theme: "dark" });
      expect(session.messages).toEqual([]);
      expect(keyOf(restarted, again.bs)).toBe(keyOf(app, first.bs));
    });

    it("keeps different apps apart: they use different keys and never see each other's values", async () => {
      const storage = new gr.MemoryStorage();
      const mine = build({ title: "mine" });
      const mineApp = mine.demo.launch();
      await mine.store(await mineApp.connect({ storage }), "mine");

      const theirs = build({ title: "theirs" });
      const theirApp = theirs.demo.launch();
      expect(keyOf(theirApp, theirs.bs)).not.toBe(keyOf(mineApp, mine.bs));
      const session = await theirApp.connect({ storage });
      expect(session.get(theirs.bs)).toBe("default");
      expect(session.messages).toEqual([]);
      await theirs.store(session, "theirs");
      expect(storage.length).toBe(2);
      expect((await mineApp.connect({ storage })).get(mine.bs)).toBe("mine");
    });

    it("derives different secrets for different apps: the same storageKey alone does not share values", async () => {
      const storage = new gr.MemoryStorage();
      const mine = build({ title: "mine", bs: { storageKey: "shared" } });
      await mine.store(await mine.demo.launch().connect({ storage }), "mine");
      const theirs = build({ title: "theirs", bs: { storageKey: "shared" } });
      const session = await theirs.demo.launch().connect({ storage });
      expect(session.get(theirs.bs)).toBe("default");
      expect(alerts(session, "warning")).toEqual([expect.stringMatching(/another secret/)]);
    });

    it("shares values between apps given the same storageKey and secret", async () => {
      const storage = new gr.MemoryStorage();
      const bs = { storageKey: "team-prefs", secret: "from configuration" };
      const mine = build({ title: "mine", bs });
      await mine.store(await mine.demo.launch().connect({ storage }), { lang: "fr" });
      expect(storage.getItem("team-prefs")).toMatch(/^bsv3/);
      const theirs = build({ title: "theirs", bs });
      expect((await theirs.demo.launch().connect({ storage })).get(theirs.bs)).toEqual({ lang: "fr" });
    });

    it("derives the app identifier from the title, the block types and the BrowserState defaults", () => {
      const id = (options: Parameters<typeof build>[0]) => appIdentifier(build(options).demo);
      expect(id({})).toMatch(/^[0-9a-f]{16}$/);
      expect(id({})).toBe(id({}));
      expect(id({ title: "other" })).not.toBe(id({}));
      expect(id({ defaultValue: "another default" })).not.toBe(id({}));
      const extraBlock = new gr.Blocks({ title: "prefs" }, () => {
        new gr.BrowserState("default");
        new gr.Button("Set");
        new gr.Textbox();
        new gr.Number();
      });
      expect(appIdentifier(extraBlock)).not.toBe(id({}));
      const built = build();
      expect(keyOf(built.demo.launch(), built.bs)).toBe(`blockstate:${id({})}:0`);
    });

    it("numbers BrowserStates by position: each has its own key and secret", async () => {
      let a!: gr.BrowserState, b!: gr.BrowserState, set!: gr.Button;
      const demo = new gr.Blocks(() => {
        a = new gr.BrowserState(0);
        b = new gr.BrowserState(0);
        set = new gr.Button();
        set.click(() => [1, 2], undefined, [a, b]);
      });
      const app = demo.launch();
      const id = app._browserStates.appId;
      expect([keyOf(app, a), keyOf(app, b)]).toEqual([defaultStorageKey(id, 0), defaultStorageKey(id, 1)]);
      const storage = new gr.MemoryStorage();
      const session = await app.connect({ storage });
      await session.click(set);
      await session.idle();
      // Swapping the entries: each is sealed with its own BrowserState's secret.
      const [ta, tb] = [storage.getItem(keyOf(app, a))!, storage.getItem(keyOf(app, b))!];
      storage.setItem(keyOf(app, a), tb);
      storage.setItem(keyOf(app, b), ta);
      const swapped = await app.connect({ storage });
      expect([swapped.get(a), swapped.get(b)]).toEqual([0, 0]);
      expect(alerts(swapped, "warning")).toHaveLength(2);
    });

    it("refuses two BrowserStates with the same storage key at launch", () => {
      const demo = new gr.Blocks(() => {
        new gr.BrowserState(1, { storageKey: "k" });
        new gr.BrowserState(2, { storageKey: "k" });
      });
      expect(() => demo.launch()).toThrow(/BrowserState #0 and BrowserState #1 both use the storage key "k"/);
    });
  });

  describe("key derivation", () => {
    it("uses HKDF for derived secrets and PBKDF2 for explicit ones, once per BrowserState per app", async () => {
      const deriveKey = jest.spyOn(crypto.subtle, "deriveKey");
      try {
        let derived!: gr.BrowserState, explicit!: gr.BrowserState, sameSecret!: gr.BrowserState, set!: gr.Button;
        const demo = new gr.Blocks(() => {
          derived = new gr.BrowserState(0);
          explicit = new gr.BrowserState(0, { secret: "s3cret" });
          sameSecret = new gr.BrowserState(0, { secret: "s3cret" });
          set = new gr.Button();
          set.click(() => [1, 2, 3], undefined, [derived, explicit, sameSecret]);
        });
        const app = demo.launch();
        expect(deriveKey).not.toHaveBeenCalled(); // lazily, at the first read or write
        const storage = new gr.MemoryStorage();
        for (let i = 0; i < 3; i++) {
          const session = await app.connect({ storage });
          await session.click(set);
          await session.close();
        }
        const session = await app.connect({ storage });
        expect([session.get(derived), session.get(explicit), session.get(sameSecret)]).toEqual([1, 2, 3]);
        const algorithms = deriveKey.mock.calls.map(([params]) => (params as { name: string }).name).sort();
        // The two BrowserStates with one secret share one derivation.
        expect(algorithms).toEqual(["HKDF", "PBKDF2"]);
      } finally {
        deriveKey.mockRestore();
      }
    });
  });

  describe("key derivation across launches", () => {
    it("derives an explicit secret's key once per Blocks, however often it is launched", async () => {
      const deriveKey = jest.spyOn(crypto.subtle, "deriveKey");
      try {
        let saved!: gr.BrowserState, set!: gr.Button;
        const demo = new gr.Blocks(() => {
          saved = new gr.BrowserState(0, { secret: "launch-secret" });
          set = new gr.Button();
          set.click(() => 7, undefined, saved);
        });
        const storage = new gr.MemoryStorage();
        for (let i = 0; i < 3; i++) {
          const app = demo.launch();
          const s = await app.connect({ storage });
          await s.click(set);
          expect(s.get(saved)).toBe(7);
          await app.close();
        }
        expect(deriveKey).toHaveBeenCalledTimes(1);
      } finally {
        deriveKey.mockRestore();
      }
    });
  });

  describe("failed writes (S94)", () => {
    it("keeps the value, reports an error, and stores a later value that fits", async () => {
      const { demo, bs, store } = build();
      const app = demo.launch();
      const storage = new gr.MemoryStorage({ quotaBytes: 1_000 });
      const session = await app.connect({ storage });
      await store(session, "small");
      const before = storage.getItem(keyOf(app, bs));

      await store(session, "x".repeat(2_000));
      expect(session.get(bs)).toBe("x".repeat(2_000));
      expect(storage.getItem(keyOf(app, bs))).toBe(before);
      const errors = alerts(session, "error");
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(new RegExp(`^BrowserState #${bs.id} could not be saved to browser storage \\(QuotaExceededError: `));
      expect(errors[0]).toMatch(/kept in this session/);

      await store(session, "smaller");
      expect(storage.getItem(keyOf(app, bs))).not.toBe(before);
      expect(alerts(session, "error")).toHaveLength(1);
      expect((await session.reload()).get(bs)).toBe("smaller");
    });

    it("handles a 10 MB value: stored when it fits, a clean error when it does not", async () => {
      const big = { blob: "0123456789".repeat(1024 * 1024) };
      const { demo, bs, store } = build();
      const app = demo.launch();

      const roomy = new gr.MemoryStorage();
      const session = await app.connect({ storage: roomy });
      await store(session, big);
      expect(alerts(session, "error")).toEqual([]);
      expect((await session.reload()).get(bs)).toEqual(big);

      const full = new gr.MemoryStorage({ quotaBytes: 5 * 1024 * 1024 }); // a browser's usual quota
      const other = await app.connect({ storage: full });
      await store(other, big);
      expect(other.get(bs)).toBe(big);
      expect(full.getItem(keyOf(app, bs))).toBeNull();
      expect(alerts(other, "error")).toEqual([expect.stringMatching(/QuotaExceededError/)]);
    }, 30_000);
  });

  describe("change events (S95)", () => {
    it("fires change at session start for a stored value that differs from the default", async () => {
      const { demo, bs, shown, changes, store } = build();
      const app = demo.launch();
      const storage = new gr.MemoryStorage();
      await store(await app.connect({ storage }), ["stored"]);
      changes.length = 0;
      const session = await app.connect({ storage });
      expect(changes).toEqual([["stored"]]);
      expect(session.get(shown)).toBe('["stored"]');
      expect(session.get(bs)).toEqual(["stored"]);
    });

    it("does not fire it when the stored value equals the default", async () => {
      const { demo, bs, shown, changes } = build({ bs: { storageKey: "k", secret: "s" } });
      const app = demo.launch();
      const storage = new gr.MemoryStorage();
      storage.setItem("k", await new BrowserStateCipher("s").encrypt("default", "k"));
      const session = await app.connect({ storage });
      expect(session.get(bs)).toBe("default");
      expect(changes).toEqual([]);
      expect(session.get(shown)).toBe("");
      expect(session.messages).toEqual([]);
    });
  });

  it("refuses a storage object that is missing methods, at connect", async () => {
    const { demo } = build();
    const app = demo.launch();
    const storage = { getItem: () => null, setItem: () => undefined };
    await expect(app.connect({ storage: storage as unknown as gr.StorageLike })).rejects.toThrow(
      /connect\(\{ storage \}\): storage is missing removeItem\(\)/,
    );
    await expect(app.connect({ storage: "localStorage" as unknown as gr.StorageLike })).rejects.toThrow(TypeError);
    expect(app.sessionCount).toBe(0);
  });
});

describe("event promises and storage writes", () => {
  it("resolve after the session's BrowserState writes, so a reload right away sees the value", async () => {
    let box!: gr.Textbox, saved!: gr.BrowserState<string>;
    const demo = new gr.Blocks((demo) => {
      box = new gr.Textbox();
      saved = new gr.BrowserState("", { storageKey: "k" });
      demo.load((v) => v, saved, box);
      box.change((v) => v, box, saved);
    });
    const storage = new gr.MemoryStorage();
    const app = demo.launch();
    const s = await app.connect({ storage });
    await s.input(box, "kept");
    expect(storage.getItem("k")).not.toBeNull();
    const fresh = await app.connect({ storage });
    expect(fresh.get(box)).toBe("kept");
  });
});
