import * as gr from "blockstate";
import { loadSessionImage } from "../../src/runtime/session-image";

describe("a saved session image (docs/08) loaded into a session", () => {
  it("leaves out props whose values the component refuses, as an update's (S74), and loads the rest", async () => {
    let size!: gr.Dropdown, level!: gr.Slider, note!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      size = new gr.Dropdown({ choices: ["S", "M", "L"], value: "M" });
      level = new gr.Slider({ minimum: 0, maximum: 10 });
      note = new gr.Textbox({ label: "Note" });
    });
    const session = await demo.launch().connect();
    const left = loadSessionImage(session, {
      values: [[size._id, "b"]],
      props: [
        [size._id, { choices: 42 }],
        [level._id, { minimum: { evil: 1 }, maximum: "ten" }],
        [note._id, { label: "Saved note" }],
      ],
      writtenAt: [],
    });
    expect(left).toEqual([
      expect.stringMatching(/^props \{"choices":42\} for Dropdown #\d+, which it refuses: choices must be /),
      expect.stringMatching(/^props \{.*\} for Slider #\d+, which it refuses: /),
      expect.stringMatching(/^the value "b" for Dropdown #\d+, which it refuses/),
    ]);
    expect(session.props(size).choices).toEqual(["S", "M", "L"]);
    expect(session.props(level)).toMatchObject({ minimum: 0, maximum: 10 });
    expect(session.props(note).label).toBe("Saved note");
  });
});
