import * as gr from "blockstate";

describe("visibleError (S36): what users and API clients see of a failed run", () => {
  test("a gr.Error shows its message, title and duration, whatever showError says", () => {
    const error = new gr.Error("Must be positive", { title: "Bad number", duration: 5 });
    expect(gr.visibleError(error, false)).toEqual({ message: "Must be positive", title: "Bad number", duration: 5 });
    // Given none, a gr.Error shows 10 seconds (Gradio's gr.Error(duration=10)); null keeps it until dismissed.
    expect(gr.visibleError(new gr.Error("No title"), false)).toEqual({ message: "No title", title: "Error", duration: 10 });
    expect(gr.visibleError(new gr.Error("Stays", { duration: null }), false).duration).toBeNull();
  });

  test("an engine EventError (a rejected value) is shown too", () => {
    expect(gr.visibleError(new gr.EventError('Number "x" rejected the input "a"', "invalid_input"), false).message).toBe('Number "x" rejected the input "a"');
  });

  test("any other error's text only with showError; a generic message otherwise", () => {
    const secret = new Error("password=hunter2");
    expect(gr.visibleError(secret, false)).toEqual({ message: gr.GENERIC_ERROR_MESSAGE, title: "Error", duration: null });
    expect(gr.visibleError(secret, true)).toEqual({ message: "password=hunter2", title: "Error", duration: null });
    expect(gr.visibleError("thrown string", true).message).toBe("thrown string");
  });
});
