/**
 * Seed 002, "Session State": a checkout cart kept in `gr.State`, with a `.change` listener that
 * shows its size.
 *
 * ```python
 * with gr.Blocks() as demo:
 *     cart = gr.State([])
 *     items_to_add = gr.CheckboxGroup(["Cereal", "Milk", "Orange Juice", "Water"])
 *
 *     def add_items(new_items, previous_cart):
 *         cart = previous_cart + new_items
 *         return cart
 *
 *     gr.Button("Add Items").click(add_items, [items_to_add, cart], cart)
 *
 *     cart_size = gr.Number(label="Cart Size")
 *     cart.change(lambda cart: len(cart), cart, cart_size)
 * ```
 *
 * The scenario also shows the seed's notes that `.change` fires only when the content changes,
 * and that a closed session's State is kept on the backend for 60 minutes (`delete_cache`).
 */
import * as gr from "blockstate";
import { ManualClock, type Transcript } from "blockstate/testing";

/** Builds the app; `options` for tests and benches that need others (e.g. `deleteCache`). */
export function create(options: gr.BlocksOptions = {}) {
  let cart!: gr.State<string[]>;
  let itemsToAdd!: gr.CheckboxGroup;
  let addItemsButton!: gr.Button;
  let cartSize!: gr.Number;
  // Counts the runs of the `.change` listener (not in the original), to show when it fires.
  let sizeUpdates = 0;

  const demo = new gr.Blocks(options, () => {
    cart = new gr.State<string[]>([]);
    itemsToAdd = new gr.CheckboxGroup(["Cereal", "Milk", "Orange Juice", "Water"]);

    function addItems(newItems: string[], previousCart: string[]) {
      const cart = [...previousCart, ...newItems];
      return cart;
    }

    addItemsButton = new gr.Button("Add Items");
    addItemsButton.click(addItems, [itemsToAdd, cart], cart);

    cartSize = new gr.Number({ label: "Cart Size" });
    cart.change((cart) => {
      sizeUpdates++;
      return cart.length;
    }, cart, cartSize);
  });
  return { demo, cart, itemsToAdd, addItemsButton, cartSize, sizeUpdates: () => sizeUpdates };
}

export async function scenario(t: Transcript): Promise<void> {
  const { demo, cart, itemsToAdd, addItemsButton, cartSize, sizeUpdates } = create();
  const clock = new ManualClock();
  t.launch(demo, { clock });
  t.name(itemsToAdd, "items_to_add");
  t.name(cart, "cart");
  const alice = await t.user("alice");
  const bob = await t.user("bob");

  await alice.input(itemsToAdd, ["Milk", "Water"]);
  await alice.click(addItemsButton);
  await bob.input(itemsToAdd, ["Cereal"]);
  await bob.click(addItemsButton, 2);
  t.expectEqual(alice.get(cart), ["Milk", "Water"], "alice's cart");
  t.expectEqual(bob.get(cart), ["Cereal", "Cereal"], "bob's cart");
  t.expectEqual([alice.get(cartSize), bob.get(cartSize)], [2, 2], "Cart Size follows each cart");

  const before = sizeUpdates();
  await alice.input(itemsToAdd, []);
  await alice.click(addItemsButton);
  t.expectEqual(sizeUpdates() - before, 0, "adding nothing leaves the cart equal, so cart.change does not run");

  const hash = alice.session.sessionHash;
  await alice.close();
  await clock.advance(30 * 60_000);
  t.note("(30 minutes later)");
  const aliceAgain = await t.user("alice", { sessionHash: hash });
  t.expectEqual(aliceAgain.get(cart), ["Milk", "Water"], "within 60 minutes of closing, alice's session still has her cart");
  await aliceAgain.close();
  await clock.advance(61 * 60_000);
  t.note("(61 minutes later)");
  const aliceLater = await t.user("alice", { sessionHash: hash });
  t.expectEqual(aliceLater.get(cart), [], "after 60 minutes it is gone: she starts from an empty cart");
  t.expectEqual(bob.get(cart), ["Cereal", "Cereal"], "bob's open session is untouched");
}
