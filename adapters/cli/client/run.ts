import type { CommandContext } from '../commands';
import { RefusedError } from './gateway-client';
import { problemLines } from './problem-lines';

/** Exit code of a client command whose request the gateway refused. */
export const EXIT_REFUSED = 1;

/** Runs a client command's body: a refusal of the gateway prints its problem details on stderr and exits 1. */
export async function runClient(ctx: CommandContext, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    if (!(e instanceof RefusedError)) throw e;
    for (const line of problemLines(e.response)) ctx.io.err(line);
    ctx.exitCode = EXIT_REFUSED;
  }
}
