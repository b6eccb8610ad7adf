import * as gr from "blockstate";

function cartApp() {
  let cart!: gr.State<string[]>;
  let items!: gr.CheckboxGroup;
  let add!: gr.Button;
  let size!: gr.Number;
  const demo = new gr.Blocks(() => {
    cart = new gr.State<string[]>([]);
    items = new gr.CheckboxGroup({ choices: ["Cereal", "Milk", "Orange Juice", "Water"] });
    add = new gr.Button("Add Items");
    add.click((newItems, previous) => [...previous, ...newItems], [items, cart], cart);
    size = new gr.Number({ label: "Cart Size" });
    cart.change((c) => c.length, cart, size);
  });
  return { demo, cart, items, add, size };
}

describe("cart app", () => {
  it("keeps carts per session and counts items through .change", async () => {
    const { demo, cart, items, add, size } = cartApp();
    const app = demo.launch();
    const a = await app.connect();
    const b = await app.connect();
    await a.input(items, ["Milk", "Water"]);
    expect(await a.click(add)).toEqual({ status: "complete" });
    await b.input(items, ["Cereal"]);
    await b.click(add);
    await b.click(add);
    expect(a.get(cart)).toEqual(["Milk", "Water"]);
    expect(a.get(size)).toBe(2);
    expect(b.get(cart)).toEqual(["Cereal", "Cereal"]);
    expect(b.get(size)).toBe(2);
    await app.close();
  });
});
