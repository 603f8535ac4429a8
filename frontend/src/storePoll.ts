import { pageGlobal } from "./pageGlobal";

interface PollState {
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * While the server waits on its store (a read still missing, a change not
 * stored yet) its data carries `poll`: the page runs again after that many
 * milliseconds, so it learns the store's answer (the restored values, the
 * saved change, a notice that clears) without the visitor doing anything.
 * Each run's data replaces the request; data without `poll` cancels it. One
 * timer per page, whichever element asked.
 */
export function schedulePoll(ms: number | null, fire: () => void): void {
  const state = pageGlobal<PollState>("store-poll", () => ({ timer: undefined }));
  clearTimeout(state.timer);
  state.timer = ms === null ? undefined : setTimeout(fire, ms);
}
