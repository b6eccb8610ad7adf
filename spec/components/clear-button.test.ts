import { Button } from "../../src/components/button";
import { ClearButton } from "../../src/components/clear-button";
import { Textbox } from "../../src/components/text";
import { accept, constructionError, rejection } from "./helpers";

// Only construction outside a build is tested here; the reset on click is tested end to end
// with a running app.
describe("ClearButton", () => {
  it("is a Button of type clearbutton with a click event", () => {
    const b = new ClearButton();
    expect(b).toBeInstanceOf(Button);
    expect(b.type).toBe("clearbutton");
    expect(ClearButton.events).toEqual(["click"]);
    expect(typeof b.click).toBe("function");
  });

  it("reads Clear by default, or the text it is given", () => {
    expect(new ClearButton().value).toBe("Clear");
    expect(new ClearButton(undefined, { value: "Reset" }).value).toBe("Reset");
    const b = new ClearButton();
    expect(accept(b, null)).toBe("Clear");
    expect(accept(b, "Wipe")).toBe("Wipe");
    expect(rejection(b, 1)).toBe("a Button's value is its text, got number");
  });

  it("keeps the listed cells, without duplicates, and takes more with add", () => {
    const a = new Textbox();
    const b = new Textbox();
    const button = new ClearButton(a, { variant: "stop" });
    expect(button.components).toEqual([a]);
    expect(button.props.variant).toBe("stop");
    expect(button.add([b, a, b])).toBe(button);
    expect(button.components).toEqual([a, b]);
  });

  it("registers nothing while outside a build", () => {
    const button = new ClearButton([new Textbox()]);
    expect(button.id).toBe(-1);
    expect(button._blocks).toBeUndefined();
  });

  it("throws a TypeError for an item that is not a component or State", () => {
    expect(constructionError(() => new ClearButton([{}] as never))).toBe("ClearButton: components[0] is not a component or State.");
  });
});
