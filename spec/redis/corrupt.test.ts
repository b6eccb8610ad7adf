/**
 * What the Redis store reads may be damaged or foreign (another app, or another version of it,
 * on the same prefix; a key written by hand): docs/08, Failures. A session's saved values that
 * cannot be read start a new session; a value its cell refuses leaves that cell at its default;
 * a Global's bytes that cannot be read leave this process's value. Each is reported, naming
 * what was wrong, and nothing locks, crashes or fails every connect.
 */
import { deserialize, serialize } from "node:v8";
import * as gr from "blockstate";
import { RESP_TYPES } from "redis";
import { redisStore } from "blockstate/redis";
import { useRedis } from "../support/redis";
import { until } from "../server/apps";

const db = useRedis("bad");
const prefix = db.prefix;
/** Bytes `node:v8` cannot deserialize. */
const GARBAGE = Buffer.from("not a structured clone \u00ff\u0000");

/** A State, a Dropdown, a Button, a Global counter, and a count of load runs (S11). */
function shopApp() {
  const runs = { load: 0 };
  let note!: gr.State<string>, size!: gr.Dropdown, buy!: gr.Button, total!: gr.Global<number>, add!: gr.Button;
  const demo = new gr.Blocks((demo) => {
    note = new gr.State("");
    size = new gr.Dropdown({ choices: ["S", "M", "L"], value: "M" });
    buy = new gr.Button("buy");
    buy.click(() => "bought", [], note);
    total = new gr.Global(0);
    add = new gr.Button("add");
    add.click((t: number) => t + 1, total, total);
    demo.load(() => void runs.load++);
  });
  return { demo, note, size, buy, total, add, runs };
}

function launch(p: string, sessionLease?: number) {
  const shop = shopApp();
  const app = shop.demo.launch({ store: redisStore({ url: db.server.url, prefix: p, ...(sessionLease === undefined ? {} : { sessionLease }) }) });
  const errors: gr.AppErrorEvent[] = [];
  app.errors$.subscribe((e) => errors.push(e));
  return { ...shop, app, errors };
}

const texts = (session: gr.Session) => session.messages.map((m) => ("message" in m ? String(m.message) : ""));

async function savedImage(p: string, hash: string): Promise<unknown> {
  const bytes = await db.raw.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).get(`${p}:s:${hash}`);
  return bytes === null ? null : deserialize(bytes);
}

describe("a session's saved values that cannot be read", () => {
  test("bytes that do not deserialize: connect({ sessionHash }) resolves with a new session (load listeners run), which is told, without v8's message; its entry is replaced at once", async () => {
    const p = prefix();
    await db.raw.set(`${p}:s:h1`, GARBAGE);
    const { app, note, size, runs } = launch(p);
    const session = await app.connect({ sessionHash: "h1" });
    expect(session.sessionHash).toBe("h1");
    expect([session.get(note), session.get(size), runs.load]).toEqual(["", "M", 1]);
    expect(texts(session)).toEqual([
      `Session h1's saved values in the store could not be read (its ${GARBAGE.length} bytes are not structured-clone data), so it starts as a new session.`,
    ]);
    await app.close();
    expect(await savedImage(p, "h1")).toMatchObject({ values: expect.any(Array), props: [] });
  });

  test("a value of another shape: the same, quoting what it holds", async () => {
    const p = prefix();
    await db.raw.set(`${p}:s:h2`, serialize({ values: "oops", props: [] }));
    const { app, note, buy, runs } = launch(p);
    const session = await app.connect({ sessionHash: "h2" });
    expect([session.get(note), runs.load]).toEqual(["", 1]);
    expect(texts(session)).toEqual([
      `Session h2's saved values in the store could not be read (they hold {"values":"oops","props":[]}, not { values: [id, value][], props: [id, props][] }), so it starts as a new session.`,
    ]);
    expect(await session.click(buy)).toEqual({ status: "complete" });
    await app.close();
    expect(((await savedImage(p, "h2")) as { values: unknown[] }).values).toContainEqual([note._id, "bought"]);
  });

  test("a value its cell refuses (a Dropdown choice no longer offered, a value for a Button or a Global): that cell keeps its default, the rest loads, and the session is told each", async () => {
    const p = prefix();
    const { note, size, buy, total } = shopApp();
    const image = { values: [[note._id, "kept"], [size._id, "XL"], [buy._id, 42], [total._id, 7], [9999, 1]], props: [] };
    await db.raw.set(`${p}:s:h3`, serialize(image));
    const { app, runs, ...mine } = launch(p);
    const session = await app.connect({ sessionHash: "h3" });
    expect([session.get(mine.note), session.get(mine.size), session.get(mine.buy), session.get(mine.total), runs.load]).toEqual(["kept", "M", "buy", 0, 0]);
    const [message] = texts(session);
    expect(message).toContain(`Session h3 was resumed without the value "XL" for ${size.describe()}, which it refuses: `);
    expect(message).toContain(`the value 42 for ${buy.describe()}, which it refuses`);
    expect(message).toContain(`the value 7 for ${total.describe()}, which holds no session value`);
    expect(message).toContain("; and 1 more: those start from their defaults.");
    await app.close();
  });

  test("a list with holes is of another shape, however long: found without walking its length", async () => {
    const p = prefix();
    const { note } = shopApp();
    // eslint-disable-next-line no-sparse-arrays
    await db.raw.set(`${p}:s:h5`, serialize({ values: [, [note._id, "x"]], props: [] }));
    await db.raw.set(`${p}:s:h6`, serialize({ values: new Array(2 ** 32 - 1), props: [] })); // 38 bytes
    const { app, runs, ...mine } = launch(p);
    for (const hash of ["h5", "h6"]) {
      const session = await app.connect({ sessionHash: hash });
      expect(session.get(mine.note)).toBe("");
      expect(texts(session)).toEqual([expect.stringMatching(new RegExp(`^Session ${hash}'s saved values in the store could not be read \\(they hold .*, not \\{ values`))]);
    }
    expect(runs.load).toBe(2);
    await app.close();
  });

  test("a value too deep to compare, for a State something watches: that cell starts from its default, the rest loads", async () => {
    const p = prefix();
    const watchedApp = () => {
      let note!: gr.State<unknown>, other!: gr.State<string>;
      const demo = new gr.Blocks(() => {
        note = new gr.State<unknown>("fresh");
        other = new gr.State("x");
        note.change(() => undefined); // note is watched: its values are compared (S53)
      });
      return { demo, note, other };
    };
    let deep: unknown = 0;
    for (let i = 0; i < 1500; i++) deep = [deep];
    const { note, other } = watchedApp();
    await db.raw.set(`${p}:s:h7`, serialize({ values: [[note._id, deep], [other._id, "kept"]], props: [] }));
    const mine = watchedApp();
    const app = mine.demo.launch({ store: redisStore({ url: db.server.url, prefix: p }) });
    const session = await app.connect({ sessionHash: "h7" });
    expect([session.get(mine.note), session.get(mine.other)]).toEqual(["fresh", "kept"]);
    expect(texts(session)).toEqual([expect.stringMatching(new RegExp(`^Session h7 was resumed without the value .* for ${note.describe()}, which it refuses: .*too deep`))]);
    await app.close();
  });

  test("props for a block that takes none, or with a name its class does not have, are left out too", async () => {
    const p = prefix();
    const { note, size } = shopApp();
    const image = { values: [[size._id, "XL"]], props: [[note._id, { label: "x" }], [size._id, { choices: ["XL"], colour: 1 }]] };
    await db.raw.set(`${p}:s:h4`, serialize(image));
    const { app, ...mine } = launch(p);
    const session = await app.connect({ sessionHash: "h4" });
    expect(session.get(mine.size)).toBe("M");
    expect(session.props(mine.size).choices).toEqual(["S", "M", "L"]);
    const [message] = texts(session);
    expect(message).toContain(`props {"label":"x"} for ${note.describe()}`);
    expect(message).toContain(`for ${size.describe()} (no prop "colour")`);
    await app.close();
  });

  test("left by a dead process: adoption reports each on app.errors$ and deletes it, and still adopts the readable ones of the same round (a refused value reported to its session)", async () => {
    const p = prefix();
    const { note, size } = shopApp();
    await db.raw.set(`${p}:s:junk`, GARBAGE);
    await db.raw.set(`${p}:s:shape`, serialize(["not", "an", "image"]));
    await db.raw.set(`${p}:s:good`, serialize({ values: [[note._id, "kept"], [size._id, "XL"]], props: [] }));
    await db.raw.zAdd(`${p}:ss`, [{ score: 0, value: "junk" }, { score: 0, value: "shape" }, { score: 0, value: "good" }]);
    const { app, errors, ...mine } = launch(p, 0.3);
    await app.connect();
    await until(() => app.session("good") !== undefined && errors.length >= 2, "adoption");
    expect([app.session("good")!.get(mine.note), app.session("good")!.get(mine.size)]).toEqual(["kept", "M"]);
    expect(texts(app.session("good")!)).toEqual([expect.stringContaining(`Session good was resumed without the value "XL" for ${size.describe()}, which it refuses`)]);
    expect([app.session("junk"), app.session("shape")]).toEqual([undefined, undefined]);
    expect(errors.map((e) => [e.source, e.sessionHash, e.error.message]).sort()).toEqual([
      ["store", "junk", `Session junk was left in Redis by a process that is gone, with saved values this app cannot read (its ${GARBAGE.length} bytes are not structured-clone data); they were deleted.`],
      ["store", "shape", 'Session shape was left in Redis by a process that is gone, with saved values this app cannot read (they hold ["not","an","image"], not { values: [id, value][], props: [id, props][] }); they were deleted.'],
    ]);
    expect([await db.raw.exists(`${p}:s:junk`), await db.raw.exists(`${p}:s:shape`)]).toEqual([0, 0]);
    await app.close();
  });

  test("a key of another type (a hash): connect({ sessionHash }) resolves with a new session, which is told; its entry is replaced at once", async () => {
    const p = prefix();
    await db.raw.hSet(`${p}:s:h5`, "x", "1");
    const { app, note, buy, runs } = launch(p);
    const session = await app.connect({ sessionHash: "h5" });
    expect([session.get(note), runs.load]).toEqual(["", 1]);
    expect(texts(session)).toEqual(["Session h5's saved values in the store could not be read (the key holds a Redis hash, not a string), so it starts as a new session."]);
    expect(await session.click(buy)).toEqual({ status: "complete" });
    await app.close();
    expect(((await savedImage(p, "h5")) as { values: unknown[] }).values).toContainEqual([note._id, "bought"]);
  });

  test("left by a dead process as a key of another type: adoption reports it on app.errors$ and deletes it, and adopts the other sessions", async () => {
    const p = prefix();
    const { note } = shopApp();
    await db.raw.hSet(`${p}:s:hashed`, "x", "1");
    await db.raw.set(`${p}:s:good`, serialize({ values: [[note._id, "kept"]], props: [] }));
    await db.raw.zAdd(`${p}:ss`, [{ score: 0, value: "hashed" }, { score: 1, value: "good" }]);
    const { app, errors, ...mine } = launch(p, 0.3);
    await app.connect();
    await until(() => app.session("good") !== undefined && errors.length >= 1, "adoption");
    expect(app.session("good")!.get(mine.note)).toBe("kept");
    expect(app.session("hashed")).toBeUndefined();
    expect(errors.map((e) => [e.source, e.sessionHash, e.error.message])).toEqual([
      ["store", "hashed", "Session hashed was left in Redis by a process that is gone, with saved values this app cannot read (the key holds a Redis hash, not a string); they were deleted."],
    ]);
    expect(await db.raw.exists(`${p}:s:hashed`)).toBe(0);
    await app.close();
  });

  test("an adoption round that fails (here the index itself is of another type) is reported on app.errors$, once until a round succeeds", async () => {
    const p = prefix();
    await db.raw.set(`${p}:ss`, "not a sorted set");
    const { app, errors } = launch(p, 0.3);
    await app.connect();
    await until(() => errors.length >= 1, "the report");
    await new Promise((resolve) => setTimeout(resolve, 500)); // several more rounds
    expect(errors.map((e) => [e.source, e.sessionHash])).toEqual([["store", undefined]]);
    expect(errors[0].error.message).toMatch(/^Sessions other processes left in Redis could not be adopted \(tried again every third of sessionLease\): redisStore: Redis at \S+ failed: WRONGTYPE /);
    await app.close();
  });

  test("a renewal round that fails (the index replaced by a key of another type while a session is held) is reported on app.errors$, once until a round succeeds", async () => {
    const p = prefix();
    const { app, errors } = launch(p, 0.3);
    try {
      await app.connect();
      await db.raw.del(`${p}:ss`);
      await db.raw.set(`${p}:ss`, "not a sorted set");
      await until(() => errors.length >= 2, "the reports");
      await new Promise((resolve) => setTimeout(resolve, 500)); // several more rounds
      const messages = errors.map((e) => e.error.message).sort();
      expect(errors.map((e) => [e.source, e.sessionHash])).toEqual([
        ["store", undefined],
        ["store", undefined],
      ]);
      expect(messages[0]).toMatch(/^Sessions other processes left in Redis could not be adopted \(tried again every third of sessionLease\): redisStore: Redis at \S+ failed: WRONGTYPE /);
      expect(messages[1]).toMatch(/^The leases of the sessions this process holds could not be renewed in Redis \(tried again every third of sessionLease\): redisStore: Redis at \S+ failed: WRONGTYPE /);
    } finally {
      await db.raw.del(`${p}:ss`);
      await app.close();
    }
  });
});

describe("a Global's bytes that cannot be read", () => {
  test("at connect: connect resolves, the Global keeps this process's value, app.errors$ names it, and its next write replaces the bytes", async () => {
    const p = prefix();
    const { total } = shopApp();
    await db.raw.hSet(`${p}:g:${total._id}`, { v: GARBAGE, n: "5" });
    const { app, errors, add, ...mine } = launch(p);
    const session = await app.connect();
    expect(session.get(mine.total)).toBe(0);
    expect(errors.map((e) => [e.source, e.cell, e.error.message])).toEqual([
      ["store", total.describe(), `${total.describe()}'s value in Redis (key ${p}:g:${total._id}) could not be read: its ${GARBAGE.length} bytes are not structured-clone data. This process keeps its value, 0, until the Global's next write replaces them.`],
    ]);
    expect(await session.click(add)).toEqual({ status: "complete" });
    expect(session.get(mine.total)).toBe(1);
    const bytes = await db.raw.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).hGet(`${p}:g:${total._id}`, "v");
    expect(deserialize(bytes!)).toBe(1);
    await app.close();
  });

  test("a key of another type (a string, a list): connect resolves and the Global keeps its value, reported naming the key and its type; a locked run's write replaces the key", async () => {
    const p = prefix();
    const { total } = shopApp();
    const key = `${p}:g:${total._id}`;
    await db.raw.set(key, "hello");
    const { app, errors, add, ...mine } = launch(p);
    const session = await app.connect();
    expect(session.get(mine.total)).toBe(0);
    const report = (type: string, value: number) =>
      `${total.describe()}'s value in Redis (key ${key}) could not be read: the key holds a Redis ${type}, not a hash. This process keeps its value, ${value}, until the Global's next write replaces it.`;
    expect(errors.map((e) => [e.source, e.cell, e.error.message])).toEqual([["store", total.describe(), report("string", 0)]]);
    expect(await session.click(add)).toEqual({ status: "complete" });
    expect(deserialize((await db.raw.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).hGet(key, "v"))!)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the kept lock is freed (LINGER_MS)
    await db.raw.del(key);
    await db.raw.rPush(key, "x");
    expect(await session.click(add)).toEqual({ status: "complete" });
    expect(session.get(mine.total)).toBe(2);
    expect(errors.map((e) => e.error.message)).toEqual([report("string", 0), report("list", 1)]);
    expect(deserialize((await db.raw.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).hGet(key, "v"))!)).toBe(2);
    await app.close();
  });

  test("read with its lock: the listener runs on this process's value and its write replaces the bytes", async () => {
    const p = prefix();
    const { app, errors, add, total } = launch(p);
    const session = await app.connect();
    expect(await session.click(add)).toEqual({ status: "complete" });
    await new Promise((resolve) => setTimeout(resolve, 100)); // the kept lock is freed (LINGER_MS)
    await db.raw.hSet(`${p}:g:${total._id}`, { v: GARBAGE, n: "50" });
    expect(await session.click(add)).toEqual({ status: "complete" });
    expect(session.get(total)).toBe(2);
    expect(errors.map((e) => [e.source, e.cell])).toEqual([["store", total.describe()]]);
    const bytes = await db.raw.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).hGet(`${p}:g:${total._id}`, "v");
    expect(deserialize(bytes!)).toBe(2);
    await app.close();
  });

  test("a version that is not a count: writes go on, counting again from 1, and other processes follow them", async () => {
    const p = prefix();
    const { total } = shopApp();
    await db.raw.hSet(`${p}:g:${total._id}`, { v: serialize(5), n: "many" });
    const one = launch(p);
    const two = launch(p);
    const [alice, bob] = await Promise.all([one.app.connect(), two.app.connect()]);
    expect([alice.get(one.total), bob.get(two.total)]).toEqual([5, 5]);
    expect(await alice.click(one.add)).toEqual({ status: "complete" });
    expect(await db.raw.hGet(`${p}:g:${total._id}`, "n")).toBe("1");
    await until(() => bob.get(two.total) === 6, "the change in the other app");
    expect(await bob.click(two.add)).toEqual({ status: "complete" });
    expect(bob.get(two.total)).toBe(7);
    await until(() => alice.get(one.total) === 7, "the change back in the first app");
    await Promise.all([one.app.close(), two.app.close()]);
  });

  test("in a change message from another process: reported, and the value here stays", async () => {
    const p = prefix();
    const { app, errors, total } = launch(p);
    const session = await app.connect();
    await db.raw.publish(`${p}:ch`, Buffer.concat([Buffer.from(`e|someone|${total._id}|9|9999999999.0|`), GARBAGE]));
    await until(() => errors.length > 0, "the report");
    expect(errors.map((e) => [e.source, e.cell])).toEqual([["store", total.describe()]]);
    expect(session.get(total)).toBe(0);
    await app.close();
  });
});
