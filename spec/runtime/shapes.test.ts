/**
 * V8 hidden classes on the connect path (App._shapeAnchors). V8 keeps a class's hidden classes
 * only while an instance is alive, and drops the optimised code built on them when a full GC
 * collects them; the app keeps an inert session so that a full GC with no session alive does
 * not deoptimise connect. That holds only while new sessions keep the anchor's hidden class.
 * Checked with V8's %HaveSameMap (natives syntax, enabled here): no timing involved.
 */
import { setFlagsFromString } from "node:v8";
import * as gr from "blockstate";
import { ManualClock } from "blockstate/testing";

setFlagsFromString("--allow-natives-syntax");
const sameHiddenClass = new Function("a", "b", "return %HaveSameMap(a, b)") as (a: object, b: object) => boolean;

function anchorSession(): object {
  return (gr.App as unknown as { _shapeAnchors: readonly object[] })._shapeAnchors[1];
}

describe("hidden classes of sessions (shape anchors)", () => {
  it("a new session has the hidden class of the app's inert session", async () => {
    const app = new gr.Blocks(() => {
      new gr.State(0);
    }).launch();
    expect(sameHiddenClass(anchorSession(), await app.connect())).toBe(true);
    await app.close();
  });

  it("keeps it after sessions closed: closing stores no time on the session (a double where 0 was)", async () => {
    const app = new gr.Blocks(() => {
      new gr.State(0);
    }).launch();
    const first = await app.connect();
    await first.close();
    expect(sameHiddenClass(anchorSession(), await app.connect())).toBe(true);
    await app.close();
  });

  it("keeps it in an app with an idle timeout, whose sessions record when they were last used", async () => {
    const clock = new ManualClock(1_700_000_000_000); // a time that is not a small integer, as Date.now()
    const app = new gr.Blocks(() => {
      new gr.State(0);
    }).launch({ clock, sessionIdleTimeout: 60 });
    await app.connect();
    expect(sameHiddenClass(anchorSession(), await app.connect())).toBe(true);
    await app.close();
  });
});
