import { Button } from "../../src/components/button";
import { accept, rejection } from "./helpers";

describe("Button", () => {
  it("is Gradio's button with a click event", () => {
    const b = new Button("Add Items");
    expect(b.type).toBe("button");
    expect(Button.events).toEqual(["click"]);
    expect(typeof b.click).toBe("function");
    expect(b.value).toBe("Add Items");
  });

  it("defaults its text to Run and its variant to secondary", () => {
    const b = new Button({ size: "sm" });
    expect(b.value).toBe("Run");
    expect(b.props).toMatchObject({ variant: "secondary", size: "sm" });
  });

  it("accepts text, turns null into Run and rejects other values", () => {
    const b = new Button();
    expect(accept(b, "Go")).toBe("Go");
    expect(accept(b, null)).toBe("Run");
    expect(rejection(b, 3)).toBe("a Button's value is its text, got number");
  });
});
