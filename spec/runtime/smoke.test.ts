import { create as cartApp } from "../../examples/cart";

describe("cart app", () => {
  it("keeps carts per session and counts items through .change", async () => {
    const { demo, cart, itemsToAdd: items, addItemsButton: add, cartSize: size } = cartApp();
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
