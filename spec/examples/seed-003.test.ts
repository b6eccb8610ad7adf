import * as gr from "blockstate";
import * as hangman from "../../examples/hangman";
import { runScenario, withApp } from "./helpers";

describe("seed 003 hangman (gr.Variable, dict return)", () => {
  it("seed 003 hangman: the scenario's checks all hold", async () => {
    const t = await runScenario(hangman.scenario);
    expect(t.failures).toEqual([]);
  });

  it("seed 003 hangman: each player's guesses are their own; the Map return updates all three outputs", async () => {
    const { demo, usedLettersVar, inputLetter, btn, hangman: board, usedLettersBox } = hangman.create();
    await withApp(demo, async (app) => {
      const a = await app.connect();
      const b = await app.connect();
      expect(a.get(board)).toBe("______");
      for (const letter of ["r", "i", "d"]) {
        await a.input(inputLetter, letter);
        await a.click(btn);
      }
      await b.input(inputLetter, "g");
      await b.click(btn);
      expect(a.get(board)).toBe("_r_di_");
      expect(a.get(usedLettersBox)).toBe("r, i, d");
      expect(a.get(usedLettersVar)).toEqual(["r", "i", "d"]);
      expect(b.get(board)).toBe("g_____");
      expect(b.get(usedLettersVar)).toEqual(["g"]);
    });
  });

  it("seed 003 hangman: gr.Variable is gr.State; the layout is a Row of two Columns", () => {
    const { demo, usedLettersVar, row, inputLetter, btn, hangman: board, usedLettersBox } = hangman.create();
    expect(usedLettersVar).toBeInstanceOf(gr.State);
    const node = demo.layout.find((n) => n.block === row)!;
    expect(node.children.map((c) => c.block)).toEqual([expect.any(gr.Column), expect.any(gr.Column)]);
    expect(node.children.map((c) => c.children.map((g) => g.block))).toEqual([
      [inputLetter, btn],
      [board, usedLettersBox],
    ]);
  });
});
