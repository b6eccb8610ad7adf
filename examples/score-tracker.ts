/**
 * Seed 000 (and its older rendering 001), "Interface State › Global State": a score tracker
 * whose `scores` list lives outside the function, so every user adds to the same list.
 *
 * ```python
 * scores = []
 *
 * def track_score(score):
 *     scores.append(score)
 *     top_scores = sorted(scores, reverse=True)[:3]
 *     return top_scores
 *
 * demo = gr.Interface(
 *     track_score,
 *     gr.Number(label="Score"),
 *     gr.JSON(label="Top Scores")
 * )
 * ```
 *
 * (The seed's copy lost the `scores.append` line and the first two Interface arguments; this is
 * the guide's full example.)
 */
import * as gr from "blockstate";
import type { Transcript } from "blockstate/testing";

export function create() {
  // Shared between all users of this app: the module-level list of the original, kept in
  // create()'s closure so that each app (each test) has its own.
  const scores: number[] = [];

  function trackScore(score: number | null) {
    // Python would fail comparing None with numbers in sorted(); say so instead.
    if (score === null) throw new gr.Error("Enter a score first.");
    scores.push(score);
    const topScores = [...scores].sort((a, b) => b - a).slice(0, 3);
    return topScores;
  }

  const score = new gr.Number({ label: "Score" });
  const topScores = new gr.JSON({ label: "Top Scores" });
  const demo = new gr.Interface({ fn: trackScore, inputs: score, outputs: topScores });
  return { demo, score, topScores, submit: demo.submitButton, scores };
}

export async function scenario(t: Transcript): Promise<void> {
  const { demo, score, topScores, submit } = create();
  t.launch(demo);
  const alice = await t.user("alice");
  const bob = await t.user("bob");

  await alice.input(score, 10);
  await alice.click(submit);
  await bob.input(score, 25);
  await bob.click(submit);
  t.expectEqual(bob.get(topScores), [25, 10], "bob's top scores include alice's score (the list is global)");
  t.expectEqual(alice.get(topScores), [10], "alice's Top Scores box still shows her last result (components are per session)");

  await alice.input(score, 7);
  await alice.click(submit);
  await bob.input(score, 3);
  await bob.click(submit);
  t.expectEqual(alice.get(topScores), [25, 10, 7], "alice sees the top 3 of everyone's scores");
  t.expectEqual(bob.get(topScores), [25, 10, 7], "bob's 3 is not in the top 3");
}
