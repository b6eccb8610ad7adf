/**
 * Seed 003, "State in Blocks" (Gradio 3): hangman with `gr.Variable` (the old name of
 * `gr.State`), a Row/Column layout, and a listener that returns a dict of component → value.
 *
 * ```python
 * secret_word = "gradio"
 *
 * with gr.Blocks() as demo:
 *     used_letters_var = gr.Variable([])
 *     with gr.Row() as row:
 *         with gr.Column():
 *             input_letter = gr.Textbox(label="Enter letter")
 *             btn = gr.Button("Guess Letter")
 *         with gr.Column():
 *             hangman = gr.Textbox(
 *                 label="Hangman",
 *                 value="_"*len(secret_word)
 *             )
 *             used_letters_box = gr.Textbox(label="Used Letters")
 *
 *     def guess_letter(letter, used_letters):
 *         used_letters.append(letter)
 *         answer = "".join([
 *             (letter if letter in used_letters else "_")
 *             for letter in secret_word
 *         ])
 *         return {
 *             used_letters_var: used_letters,
 *             used_letters_box: ", ".join(used_letters),
 *             hangman: answer
 *         }
 *     btn.click(
 *         guess_letter,
 *         [input_letter, used_letters_var],
 *         [used_letters_var, used_letters_box, hangman]
 *     )
 * ```
 *
 * (The seed's copy lost the `used_letters.append` line, the Hangman textbox's arguments and the
 * `btn.click(` line; this is the guide's full example.) The Python dict return is a `Map`.
 */
import * as gr from "blockstate";
import type { Transcript } from "blockstate/testing";

const secretWord = "gradio"; // a constant, so sharing it between users is harmless

export function create() {
  let usedLettersVar!: gr.Variable<string[]>;
  let row!: gr.Row;
  let inputLetter!: gr.Textbox;
  let btn!: gr.Button;
  let hangman!: gr.Textbox;
  let usedLettersBox!: gr.Textbox;

  const demo = new gr.Blocks(() => {
    usedLettersVar = new gr.Variable<string[]>([]);
    row = new gr.Row(() => {
      new gr.Column(() => {
        inputLetter = new gr.Textbox({ label: "Enter letter" });
        btn = new gr.Button("Guess Letter");
      });
      new gr.Column(() => {
        hangman = new gr.Textbox({ label: "Hangman", value: "_".repeat(secretWord.length) });
        usedLettersBox = new gr.Textbox({ label: "Used Letters" });
      });
    });

    function guessLetter(letter: string, usedLetters: string[]) {
      usedLetters.push(letter);
      const answer = [...secretWord].map((l) => (usedLetters.includes(l) ? l : "_")).join("");
      return new Map<gr.AnyCell, unknown>([
        [usedLettersVar, usedLetters],
        [usedLettersBox, usedLetters.join(", ")],
        [hangman, answer],
      ]);
    }
    btn.click(guessLetter, [inputLetter, usedLettersVar], [usedLettersVar, usedLettersBox, hangman]);
  });
  return { demo, usedLettersVar, row, inputLetter, btn, hangman, usedLettersBox };
}

export async function scenario(t: Transcript): Promise<void> {
  const { demo, usedLettersVar, row, inputLetter, btn, hangman, usedLettersBox } = create();
  t.launch(demo);
  t.name(usedLettersVar, "used_letters_var");
  const layout = demo.layout.find((node) => node.block === row);
  t.expectEqual(layout?.children.map((c) => c.children.length), [2, 2], "the Row holds two Columns of two components each");

  const alice = await t.user("alice");
  const bob = await t.user("bob");
  await alice.input(inputLetter, "g");
  await alice.click(btn);
  await alice.input(inputLetter, "o");
  await alice.click(btn);
  await bob.input(inputLetter, "a");
  await bob.click(btn);

  t.expectEqual(alice.get(hangman), "g____o", "alice's board");
  t.expectEqual(bob.get(hangman), "__a___", "bob's board");
  t.expectEqual(alice.get(usedLettersBox), "g, o", "alice's Used Letters");
  t.expectEqual(bob.get(usedLettersVar), ["a"], "bob's used letters (the Variable) hold only his guess");
}
